import { Link } from 'react-router';

/** Pico's breadcrumb: earlier levels are links, the last is the current page. */
export function Breadcrumb({ trail, current }: { trail: { to: string; label: string }[]; current: string }) {
  return (
    <nav aria-label="breadcrumb" className="breadcrumb">
      <ul>
        {trail.map((item) => (
          <li key={item.to}>
            <Link to={item.to}>{item.label}</Link>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ul>
    </nav>
  );
}
