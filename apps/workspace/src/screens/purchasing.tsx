import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  type Column,
  ErrorNotice,
  FormActions,
  isApiError,
  ListFrame,
  Loading,
  moneyInput,
  Notice,
  parseMoney,
  queryString,
  Reveal,
  TextField,
  useDebouncedInput,
} from '@salesfleet/ui';
import { locationName, useLocations } from '../api/queries';
import type {
  Account,
  Page,
  Product,
  PurchaseOrder,
  PurchaseOrderStatus,
  PurchaseOrderSummary,
  Supplier,
  SupplierBill,
  SupplierBillStatus,
  SupplierBillSummary,
} from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { Tabs } from '../components/tabs';
import { allPages } from '../lib/all-pages';
import { positiveQuantity, quantityText, thousandths } from '../lib/quantity';
import { parseQuantity } from '@salesfleet/contracts';
import { useSession } from '../lib/session-context';
import { useUrlState } from '../lib/url-state';

const LIMIT = 25;
const REFRESH = ['suppliers', 'purchase-orders', 'supplier-bills', 'products', 'stock', 'dashboard', 'reports', 'journal-entries'];

const PO_STATUS: Record<PurchaseOrderStatus, [string, string]> = {
  ordered: ['Ordered', 'badge-muted'],
  partial: ['Partly received', 'badge-warn'],
  received: ['Received', 'badge-good'],
  cancelled: ['Cancelled', 'badge-bad'],
};

function useSuppliers() {
  return useApi<{ suppliers: Supplier[] } & Page>('/suppliers?limit=200');
}

function supplierName(suppliers: readonly Supplier[] | undefined, id: number) {
  return suppliers?.find((s) => s.id === id)?.name ?? `#${id}`;
}

/** Purchasing: suppliers, purchase orders received in parts, supplier bills and their payments. */
export function PurchasingScreen() {
  const { can } = useSession();
  const [f, setF] = useUrlState(['tab'] as const);
  const tabs = (
    [
      { id: 'orders', label: 'Purchase orders', shown: can('purchasing.view_purchase_order') },
      { id: 'bills', label: 'Supplier bills', shown: can('purchasing.view_supplier_bill') },
      { id: 'suppliers', label: 'Suppliers', shown: can('purchasing.view_supplier') },
    ] as const
  ).filter((t) => t.shown);
  const tab = tabs.find((t) => t.id === f.tab)?.id ?? tabs[0]?.id;
  return (
    <section>
      <h1>Purchasing</h1>
      <Tabs label="Purchasing" tabs={tabs} current={tab} onChange={(id) => setF({ tab: id })} />
      {tab === 'orders' ? <OrdersList /> : tab === 'bills' ? <BillsList /> : <SuppliersList />}
    </section>
  );
}

// ── suppliers ──

function SuppliersList() {
  const { can } = useSession();
  const [f, setF] = useUrlState(['q', 'offset'] as const);
  const [q, setQ] = useDebouncedInput(f.q, (q) => setF({ q }));
  const path = (q: Record<string, unknown>) => `/suppliers${queryString({ q: f.q, ...q })}`;
  const list = useApi<{ suppliers: Supplier[] } & Page>(path({ offset: f.offset, limit: LIMIT }));
  const columns: Column<Supplier>[] = [
    { header: 'Name', cell: (s) => s.name, csv: (s) => s.name },
    { header: 'Email', cell: (s) => s.email ?? '—', csv: (s) => s.email },
    { header: 'Phone', cell: (s) => s.phone ?? '—', csv: (s) => s.phone },
    { header: 'Tax number', cell: (s) => s.taxNumber ?? '—', csv: (s) => s.taxNumber },
    {
      header: 'Status',
      cell: (s) => (s.isActive ? 'Active' : <span className="badge badge-muted">inactive</span>),
      csv: (s) => (s.isActive ? 'active' : 'inactive'),
    },
  ];
  return (
    <>
      {can('purchasing.add_supplier') && <Reveal label="Add supplier">{(close) => <SupplierForm onDone={close} />}</Reveal>}
      <ListFrame
        query={list}
        rows={(d) => d.suppliers}
        columns={columns}
        rowKey={(s) => s.id}
        noun="suppliers"
        filtered={Boolean(f.q)}
        filters={
          <label>
            Search
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name, email or phone" />
          </label>
        }
        empty={<p>Suppliers you buy from appear here.</p>}
        page={(d) => d}
        onOffsetChange={(o) => setF({ offset: String(o) }, false)}
        csvName="suppliers.csv"
        allRows={() => allPages<Supplier>(path, 'suppliers')}
      />
    </>
  );
}

function SupplierForm({ onDone }: { onDone: () => void }) {
  const [v, setV] = useState({ name: '', email: '', phone: '', taxNumber: '' });
  const save = useApiWrite<Record<string, unknown>>('POST', () => '/suppliers', REFRESH);
  const fields = isApiError(save.error) ? save.error.fieldErrors() : {};
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { name: v.name.trim(), email: v.email.trim() || null, phone: v.phone.trim() || null, taxNumber: v.taxNumber.trim() || null },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} aria-label="New supplier">
      <h2>Add a supplier</h2>
      <div className="filters">
        <TextField id="sup-name" label="Name" value={v.name} onValueChange={set('name')} error={fields.name} maxLength={200} required />
        <TextField id="sup-email" label="Email" type="email" value={v.email} onValueChange={set('email')} error={fields.email} optional />
        <TextField id="sup-phone" label="Phone" value={v.phone} onValueChange={set('phone')} error={fields.phone} optional />
        <TextField id="sup-tax" label="Tax number" value={v.taxNumber} onValueChange={set('taxNumber')} error={fields.taxNumber} optional />
      </div>
      {save.isError && Object.keys(fields).length === 0 && <ErrorNotice error={save.error} title="Could not add the supplier" />}
      <FormActions submit="Save supplier" disabled={save.isPending || !v.name.trim()} onCancel={onDone} />
    </form>
  );
}

// ── purchase orders ──

function OrdersList() {
  const { can, money, date, workspace } = useSession();
  const [f, setF] = useUrlState(['status', 'supplierId', 'offset'] as const);
  const suppliers = useSuppliers();
  const locations = useLocations();
  const path = (q: Record<string, unknown>) => `/purchase-orders${queryString({ status: f.status, supplierId: f.supplierId, ...q })}`;
  const list = useApi<{ purchaseOrders: PurchaseOrderSummary[] } & Page>(path({ offset: f.offset, limit: LIMIT }));
  const columns: Column<PurchaseOrderSummary>[] = [
    { header: 'Number', cell: (o) => <Link to={`/purchasing/orders/${o.id}`}>{o.number}</Link>, csv: (o) => o.number },
    { header: 'Date', cell: (o) => date(o.orderDate), csv: (o) => o.orderDate },
    {
      header: 'Supplier',
      cell: (o) => supplierName(suppliers.data?.suppliers, o.supplierId),
      csv: (o) => supplierName(suppliers.data?.suppliers, o.supplierId),
    },
    ...(workspace.multiLocation
      ? [
          {
            header: 'Location',
            cell: (o: PurchaseOrderSummary) => locationName(locations.data, o.locationId),
            csv: (o: PurchaseOrderSummary) => locationName(locations.data, o.locationId),
          },
        ]
      : []),
    { header: 'Status', cell: (o) => <PoBadge status={o.status} />, csv: (o) => o.status },
    { header: 'Total', cell: (o) => money(o.total), csv: (o) => moneyInput(o.total, workspace.currency), num: true },
  ];
  return (
    <>
      {can('purchasing.add_purchase_order') && (
        <Reveal label="New purchase order">{(close) => <OrderForm suppliers={suppliers.data?.suppliers ?? []} onDone={close} />}</Reveal>
      )}
      <ListFrame
        query={list}
        rows={(d) => d.purchaseOrders}
        columns={columns}
        rowKey={(o) => o.id}
        noun="purchase orders"
        filtered={Boolean(f.status || f.supplierId)}
        filters={
          <>
            <label>
              Status
              <select value={f.status} onChange={(e) => setF({ status: e.target.value })}>
                <option value="">Any</option>
                {Object.entries(PO_STATUS).map(([k, [label]]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <SupplierFilter suppliers={suppliers.data?.suppliers} value={f.supplierId} onChange={(supplierId) => setF({ supplierId })} />
          </>
        }
        empty={<p>Order goods from a supplier; receive them here as they arrive.</p>}
        page={(d) => d}
        onOffsetChange={(o) => setF({ offset: String(o) }, false)}
        csvName="purchase-orders.csv"
        allRows={() => allPages<PurchaseOrderSummary>(path, 'purchaseOrders')}
      />
    </>
  );
}

function PoBadge({ status }: { status: PurchaseOrderStatus }) {
  const [label, kind] = PO_STATUS[status];
  return <span className={`badge ${kind}`}>{label}</span>;
}

function SupplierFilter({
  suppliers,
  value,
  onChange,
}: {
  suppliers: readonly Supplier[] | undefined;
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <label>
      Supplier
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any</option>
        {suppliers?.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}

interface LineDraft {
  key: number;
  productId: string;
  quantity: string;
  cost: string;
}

function OrderForm({ suppliers, onDone }: { suppliers: readonly Supplier[]; onDone: () => void }) {
  const { workspace, money } = useSession();
  const locations = useLocations();
  const products = useApi<{ products: Product[] } & Page>('/products?active=true&limit=500');
  const [supplierId, setSupplierId] = useState('');
  const [locationId, setLocationId] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([{ key: 1, productId: '', quantity: '', cost: '' }]);
  const save = useApiWrite<Record<string, unknown>, { purchaseOrder: PurchaseOrder }>('POST', () => '/purchase-orders', REFRESH);
  const fields = isApiError(save.error) ? save.error.fieldErrors() : {};
  const parsed = lines.map((l) => ({
    productId: Number(l.productId),
    quantity: positiveQuantity(l.quantity),
    unitCost: parseMoney(l.cost, workspace.currency),
  }));
  const valid = parsed.every((l) => l.productId && l.quantity !== null && l.unitCost !== null);
  // The preview rounds half up like the API (quantity × cost / 1000); the server's total is the one kept.
  const total = parsed.reduce(
    (t, l) => t + (l.quantity !== null && l.unitCost !== null ? Math.round((l.quantity * l.unitCost) / 1000) : 0),
    0,
  );
  const location = locationId || String(locations.data?.[0]?.id ?? '');
  const setLine = (key: number, change: Partial<LineDraft>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...change } : l)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid || !supplierId || !location) return;
    save.mutate(
      {
        supplierId: Number(supplierId),
        locationId: Number(location),
        lines: parsed.map((l) => ({ productId: l.productId, quantity: quantityText(l.quantity ?? 0), unitCost: l.unitCost })),
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} aria-label="New purchase order">
      <h2>New purchase order</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="po-supplier">Supplier</label>
          <select id="po-supplier" value={supplierId} onChange={(e) => setSupplierId(e.target.value)} required>
            <option value="">Choose…</option>
            {suppliers
              .filter((s) => s.isActive)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="po-location">Deliver to</label>
          <select id="po-location" value={location} onChange={(e) => setLocationId(e.target.value)}>
            {locations.data?.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {lines.map((l, i) => (
        <fieldset key={l.key} className="filters" aria-label={`Line ${i + 1}`}>
          <div className="field">
            <label htmlFor={`po-product-${l.key}`}>Product</label>
            <select
              id={`po-product-${l.key}`}
              value={l.productId}
              onChange={(e) => {
                const p = products.data?.products.find((x) => String(x.id) === e.target.value);
                setLine(l.key, {
                  productId: e.target.value,
                  ...(p?.costPrice !== null && p?.costPrice !== undefined && !l.cost
                    ? { cost: moneyInput(p.costPrice, workspace.currency) }
                    : {}),
                });
              }}
            >
              <option value="">Choose…</option>
              {products.data?.products.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.sku} {p.name}
                </option>
              ))}
            </select>
          </div>
          <TextField
            id={`po-qty-${l.key}`}
            label="Quantity"
            inputMode="decimal"
            value={l.quantity}
            onValueChange={(quantity) => setLine(l.key, { quantity })}
            error={l.quantity && positiveQuantity(l.quantity) === null ? 'More than 0, at most 3 decimals' : fields[`lines.${i}.quantity`]}
          />
          <TextField
            id={`po-cost-${l.key}`}
            label="Unit cost"
            inputMode="decimal"
            value={l.cost}
            onValueChange={(cost) => setLine(l.key, { cost })}
            error={l.cost && parseMoney(l.cost, workspace.currency) === null ? 'Not an amount' : fields[`lines.${i}.unitCost`]}
          />
          {lines.length > 1 && (
            <button type="button" className="secondary outline small" onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}>
              Remove line {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          className="secondary outline small"
          onClick={() => setLines((ls) => [...ls, { key: Math.max(...ls.map((x) => x.key)) + 1, productId: '', quantity: '', cost: '' }])}
        >
          Add line
        </button>{' '}
        Total <strong>{money(total)}</strong>
      </p>
      {save.isError && <ErrorNotice error={save.error} title="Could not place the order" />}
      <FormActions submit="Place order" disabled={save.isPending || !valid || !supplierId || !location} onCancel={onDone} />
    </form>
  );
}

/** One purchase order: its lines (ordered, received, still due) and a receipt of what arrived. */
export function PurchaseOrderScreen() {
  const { id } = useParams();
  const { can, money, date } = useSession();
  const order = useApi<{ purchaseOrder: PurchaseOrder }>(`/purchase-orders/${Number(id)}`);
  const suppliers = useSuppliers();
  const locations = useLocations();
  const products = useApi<{ products: Product[] } & Page>('/products?limit=500');
  const [receiving, setReceiving] = useState(false);
  const cancel = useApiWrite<void>(
    'POST',
    () => `/purchase-orders/${Number(id)}/cancel`,
    REFRESH,
    () => ({}),
  );
  if (order.isPending) return <Loading label="Loading the purchase order…" />;
  if (order.isError)
    return <ErrorNotice error={order.error} title="Could not load the purchase order" onRetry={() => void order.refetch()} />;
  const o = order.data.purchaseOrder;
  const productName = (pid: number) => {
    const p = products.data?.products.find((x) => x.id === pid);
    return p ? `${p.sku} ${p.name}` : `#${pid}`;
  };
  const open = o.status === 'ordered' || o.status === 'partial';
  return (
    <section>
      <p>
        <Link to="/purchasing?tab=orders">← Purchase orders</Link>
      </p>
      <div className="page-head">
        <h1>
          {o.number} <PoBadge status={o.status} />
        </h1>
        <div className="actions">
          {open && can('purchasing.receive_goods') && !receiving && (
            <button type="button" onClick={() => setReceiving(true)}>
              Receive goods
            </button>
          )}
          {o.status === 'ordered' && can('purchasing.change_purchase_order') && (
            <button type="button" className="secondary outline" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
              Cancel order
            </button>
          )}
        </div>
      </div>
      <p>
        {supplierName(suppliers.data?.suppliers, o.supplierId)} · ordered {date(o.orderDate)} · to{' '}
        {locationName(locations.data, o.locationId)}
      </p>
      {cancel.isError && <ErrorNotice error={cancel.error} title="Could not cancel the order" />}
      {receiving && <ReceiveForm order={o} productName={productName} onDone={() => setReceiving(false)} />}
      <div className="table-scroll">
        {/* On a phone the unit cost moves under the product, so the line total stays in view. */}
        <table className="data-table order-lines" aria-label="Order lines">
          <thead>
            <tr>
              <th>Product</th>
              <th className="num">Ordered</th>
              <th className="num">Received</th>
              <th className="num wide-only">Unit cost</th>
              <th className="num">Line total</th>
            </tr>
          </thead>
          <tbody>
            {o.lines.map((l) => (
              <tr key={l.id}>
                <td>
                  {productName(l.productId)}
                  <small className="muted narrow-only" aria-hidden="true">
                    {' '}
                    @ {money(l.unitCost)}
                  </small>
                </td>
                <td className="num">{l.quantity}</td>
                <td className="num">{l.quantityReceived}</td>
                <td className="num wide-only">{money(l.unitCost)}</td>
                <td className="num">{money(l.lineTotal)}</td>
              </tr>
            ))}
            <tr>
              <th colSpan={3}>Total</th>
              <td className="wide-only" />
              <td className="num">
                <strong>{money(o.total)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** What arrived, per line (default: everything still due); the API opens a supplier bill for it. */
function ReceiveForm({ order, productName, onDone }: { order: PurchaseOrder; productName: (id: number) => string; onDone: () => void }) {
  const { money } = useSession();
  const due = (l: PurchaseOrder['lines'][number]) => thousandths(l.quantity) - thousandths(l.quantityReceived);
  const [qty, setQty] = useState<Record<number, string>>(() =>
    Object.fromEntries(order.lines.filter((l) => due(l) > 0).map((l) => [l.id, quantityText(due(l))])),
  );
  const [reference, setReference] = useState('');
  const [done, setDone] = useState<SupplierBillSummary | null>(null);
  const receive = useApiWrite<Record<string, unknown>, { bill: SupplierBillSummary }>(
    'POST',
    () => `/purchase-orders/${order.id}/receipts`,
    REFRESH,
  );
  const fields = isApiError(receive.error) ? receive.error.fieldErrors() : {};
  const lines = order.lines
    .filter((l) => due(l) > 0)
    .map((l) => ({ line: l, thousandths: qty[l.id]?.trim() ? parseQuantity(qty[l.id] ?? '') : 0 }));
  const problem = lines.find((x) => x.thousandths === null || x.thousandths < 0 || x.thousandths > due(x.line));
  const any = lines.some((x) => (x.thousandths ?? 0) > 0);
  if (done)
    return (
      <Notice kind="success">
        Received. Supplier bill {done.number} for {money(done.total)} is open.{' '}
        <Link to={`/purchasing/bills/${done.id}`}>Open the bill</Link>{' '}
        <button type="button" className="secondary outline small" onClick={onDone}>
          Close
        </button>
      </Notice>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem || !any) return;
    receive.mutate(
      {
        lines: lines
          .filter((x) => (x.thousandths ?? 0) > 0)
          .map((x) => ({ lineId: x.line.id, quantity: quantityText(x.thousandths ?? 0) })),
        ...(reference.trim() ? { supplierReference: reference.trim() } : {}),
      },
      { onSuccess: (r) => setDone(r.bill) },
    );
  };
  return (
    <form onSubmit={submit} aria-label="Receive goods">
      <h2>Receive goods</h2>
      <div className="filters">
        {lines.map(({ line, thousandths }, i) => (
          <TextField
            key={line.id}
            id={`rcv-${line.id}`}
            label={`${productName(line.productId)} (due ${quantityText(due(line))})`}
            inputMode="decimal"
            value={qty[line.id] ?? ''}
            onValueChange={(value) => setQty((q) => ({ ...q, [line.id]: value }))}
            error={
              thousandths === null || thousandths < 0
                ? 'At most 3 decimals, not negative'
                : thousandths > due(line)
                  ? `At most ${quantityText(due(line))} is still due`
                  : fields[`lines.${i}.quantity`]
            }
          />
        ))}
        <TextField id="rcv-ref" label="Supplier's invoice number" value={reference} onValueChange={setReference} optional maxLength={100} />
      </div>
      {receive.isError && <ErrorNotice error={receive.error} title="Could not receive the goods" />}
      <FormActions submit="Receive" disabled={receive.isPending || Boolean(problem) || !any} onCancel={onDone} />
    </form>
  );
}

// ── supplier bills ──

function BillsList() {
  const { money, date, workspace, can } = useSession();
  const [f, setF] = useUrlState(['status', 'supplierId', 'offset'] as const);
  const suppliers = useSuppliers();
  const path = (q: Record<string, unknown>) => `/supplier-bills${queryString({ status: f.status, supplierId: f.supplierId, ...q })}`;
  const list = useApi<{ bills: SupplierBillSummary[] } & Page>(path({ offset: f.offset, limit: LIMIT }));
  const amount = (v: number) => moneyInput(v, workspace.currency);
  const columns: Column<SupplierBillSummary>[] = [
    { header: 'Number', cell: (b) => <Link to={`/purchasing/bills/${b.id}`}>{b.number}</Link>, csv: (b) => b.number },
    { header: 'Date', cell: (b) => date(b.billDate), csv: (b) => b.billDate },
    { header: 'Due', cell: (b) => (b.dueDate ? date(b.dueDate) : '—'), csv: (b) => b.dueDate },
    {
      header: 'Supplier',
      cell: (b) => supplierName(suppliers.data?.suppliers, b.supplierId),
      csv: (b) => supplierName(suppliers.data?.suppliers, b.supplierId),
    },
    { header: 'Their reference', cell: (b) => b.supplierReference ?? '—', csv: (b) => b.supplierReference },
    { header: 'Total', cell: (b) => money(b.total), csv: (b) => amount(b.total), num: true },
    { header: 'Owed', cell: (b) => (b.amountDue ? money(b.amountDue) : '—'), csv: (b) => amount(b.amountDue), num: true },
    { header: 'Status', cell: (b) => <BillBadge status={b.status} />, csv: (b) => b.status },
  ];
  return (
    <>
      {can('purchasing.add_supplier_bill') && (
        <Reveal label="Enter a bill">{(close) => <BillForm suppliers={suppliers.data?.suppliers ?? []} onDone={close} />}</Reveal>
      )}
      <ListFrame
        query={list}
        rows={(d) => d.bills}
        columns={columns}
        rowKey={(b) => b.id}
        noun="supplier bills"
        filtered={Boolean(f.status || f.supplierId)}
        filters={
          <>
            <label>
              Status
              <select value={f.status} onChange={(e) => setF({ status: e.target.value })}>
                <option value="">Any</option>
                <option value="open">Owed</option>
                <option value="paid">Paid</option>
                <option value="void">Void</option>
              </select>
            </label>
            <SupplierFilter suppliers={suppliers.data?.suppliers} value={f.supplierId} onChange={(supplierId) => setF({ supplierId })} />
          </>
        }
        empty={<p>Receiving goods opens a bill; other bills (rent, services) are entered here.</p>}
        page={(d) => d}
        onOffsetChange={(o) => setF({ offset: String(o) }, false)}
        csvName="supplier-bills.csv"
        allRows={() => allPages<SupplierBillSummary>(path, 'bills')}
      />
    </>
  );
}

const BILL_STATUS: Record<SupplierBillStatus, [string, string]> = {
  open: ['Owed', 'badge-warn'],
  paid: ['Paid', 'badge-good'],
  void: ['Void', 'badge-bad'],
};

function BillBadge({ status }: { status: SupplierBillStatus }) {
  const [label, kind] = BILL_STATUS[status];
  return <span className={`badge ${kind}`}>{label}</span>;
}

/** Void a bill entered by mistake: its posting is reversed and nothing is owed any more. */
function VoidBillForm({ bill, onDone }: { bill: SupplierBill; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const voidIt = useApiWrite<{ reason: string | null }>('POST', () => `/supplier-bills/${bill.id}/void`, REFRESH);
  return (
    <form
      aria-label="Void the bill"
      onSubmit={(e) => {
        e.preventDefault();
        voidIt.mutate({ reason: reason.trim() || null }, { onSuccess: onDone });
      }}
    >
      <p>Voiding {bill.number} reverses its posting: nothing is owed on it any more. It stays in the list, marked void.</p>
      <TextField id="void-bill-reason" label="Reason" optional value={reason} maxLength={200} onValueChange={setReason} />
      {voidIt.isError && <ErrorNotice error={voidIt.error} title="Could not void the bill" />}
      <FormActions submit="Void bill" disabled={voidIt.isPending} onCancel={onDone} />
    </form>
  );
}

function BillForm({ suppliers, onDone }: { suppliers: readonly Supplier[]; onDone: () => void }) {
  const { workspace } = useSession();
  const accounts = useApi<{ accounts: Account[] }>('/accounts?active=true');
  const [v, setV] = useState({ supplierId: '', accountId: '', amount: '', reference: '', description: '', dueDate: '' });
  const save = useApiWrite<Record<string, unknown>>('POST', () => '/supplier-bills', REFRESH);
  const fields = isApiError(save.error) ? save.error.fieldErrors() : {};
  const amount = parseMoney(v.amount, workspace.currency);
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!amount || !v.supplierId || !v.accountId) return;
    save.mutate(
      {
        supplierId: Number(v.supplierId),
        accountId: Number(v.accountId),
        amount,
        supplierReference: v.reference.trim() || null,
        description: v.description.trim() || null,
        dueDate: v.dueDate || null,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} aria-label="New supplier bill">
      <h2>Enter a supplier bill</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="bill-supplier">Supplier</label>
          <select id="bill-supplier" value={v.supplierId} onChange={(e) => set('supplierId')(e.target.value)} required>
            <option value="">Choose…</option>
            {suppliers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bill-account">For (account)</label>
          <select id="bill-account" value={v.accountId} onChange={(e) => set('accountId')(e.target.value)} required>
            <option value="">Choose…</option>
            {accounts.data?.accounts
              .filter((a) => a.type === 'expense' || a.type === 'asset')
              .map((a) => (
                <option key={a.id} value={a.id}>
                  {a.code} {a.name}
                </option>
              ))}
          </select>
        </div>
        <TextField
          id="bill-amount"
          label="Amount"
          inputMode="decimal"
          value={v.amount}
          onValueChange={set('amount')}
          error={v.amount && amount === null ? 'Not an amount' : fields.amount}
        />
        <TextField id="bill-due" label="Due" type="date" value={v.dueDate} onValueChange={set('dueDate')} optional error={fields.dueDate} />
        <TextField id="bill-ref" label="Their reference" value={v.reference} onValueChange={set('reference')} optional maxLength={100} />
        <TextField id="bill-desc" label="Description" value={v.description} onValueChange={set('description')} optional maxLength={255} />
      </div>
      {save.isError && Object.keys(fields).length === 0 && <ErrorNotice error={save.error} title="Could not enter the bill" />}
      <FormActions submit="Save bill" disabled={save.isPending || !amount || !v.supplierId || !v.accountId} onCancel={onDone} />
    </form>
  );
}

/** One supplier bill: what it is for, its payments, and paying (part of) what is owed. */
export function SupplierBillScreen() {
  const { id } = useParams();
  const { can, money, date, workspace } = useSession();
  const bill = useApi<{ bill: SupplierBill }>(`/supplier-bills/${Number(id)}`);
  const suppliers = useSuppliers();
  const accounts = useApi<{ accounts: Account[] }>('/accounts?active=true', { enabled: can('accounting.view_account') });
  const [amount, setAmount] = useState('');
  const [from, setFrom] = useState('');
  const pay = useApiWrite<Record<string, unknown>>('POST', () => `/supplier-bills/${Number(id)}/payments`, REFRESH);
  const [voiding, setVoiding] = useState(false);
  if (bill.isPending) return <Loading label="Loading the bill…" />;
  if (bill.isError) return <ErrorNotice error={bill.error} title="Could not load the bill" onRetry={() => void bill.refetch()} />;
  const b = bill.data.bill;
  const cents = amount ? parseMoney(amount, workspace.currency) : b.amountDue;
  const tooMuch = cents !== null && cents > b.amountDue;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!cents || tooMuch) return;
    pay.mutate({ amount: cents, ...(from ? { paidFromAccountId: Number(from) } : {}) }, { onSuccess: () => setAmount('') });
  };
  return (
    <section>
      <p>
        <Link to="/purchasing?tab=bills">← Supplier bills</Link>
      </p>
      <div className="page-head">
        <h1>
          {b.number} <BillBadge status={b.status} />
        </h1>
        {/* The API voids a bill entered by mistake: never one that is paid or that a goods receipt opened. */}
        {b.status === 'open' && b.amountPaid === 0 && !b.purchaseOrderId && can('purchasing.delete_supplier_bill') && !voiding && (
          <div className="actions">
            <button type="button" className="secondary outline" onClick={() => setVoiding(true)}>
              Void bill…
            </button>
          </div>
        )}
      </div>
      {voiding && <VoidBillForm bill={b} onDone={() => setVoiding(false)} />}
      <dl className="facts">
        <dt>Supplier</dt>
        <dd>{supplierName(suppliers.data?.suppliers, b.supplierId)}</dd>
        <dt>Date</dt>
        <dd>{date(b.billDate)}</dd>
        {b.dueDate && (
          <>
            <dt>Due</dt>
            <dd>{date(b.dueDate)}</dd>
          </>
        )}
        {b.purchaseOrderId && (
          <>
            <dt>For goods of</dt>
            <dd>
              <Link to={`/purchasing/orders/${b.purchaseOrderId}`}>purchase order</Link>
            </dd>
          </>
        )}
        {b.description && (
          <>
            <dt>Description</dt>
            <dd>{b.description}</dd>
          </>
        )}
        <dt>Total</dt>
        <dd>{money(b.total)}</dd>
        <dt>Paid</dt>
        <dd>{money(b.amountPaid)}</dd>
        <dt>Owed</dt>
        <dd>
          <strong>{money(b.amountDue)}</strong>
        </dd>
      </dl>
      {b.payments.length > 0 && (
        <table className="data-table" aria-label="Payments">
          <thead>
            <tr>
              <th>Date</th>
              <th>Reference</th>
              <th className="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {b.payments.map((p) => (
              <tr key={p.id}>
                <td>{date(p.paymentDate)}</td>
                <td>{p.reference ?? '—'}</td>
                <td className="num">{money(p.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {b.amountDue > 0 && can('purchasing.add_supplier_payment') && (
        <form onSubmit={submit} aria-label="Pay the bill">
          <h2>Pay</h2>
          <div className="filters">
            <TextField
              id="pay-amount"
              label="Amount"
              inputMode="decimal"
              value={amount}
              placeholder={moneyInput(b.amountDue, workspace.currency)}
              onValueChange={setAmount}
              error={cents === null ? 'Not an amount' : tooMuch ? `At most ${money(b.amountDue)} is owed` : undefined}
            />
            {accounts.data && (
              <div className="field">
                <label htmlFor="pay-from">Paid from</label>
                <select id="pay-from" value={from} onChange={(e) => setFrom(e.target.value)}>
                  <option value="">Bank (default)</option>
                  {accounts.data.accounts
                    .filter((a) => a.type === 'asset')
                    .map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.code} {a.name}
                      </option>
                    ))}
                </select>
              </div>
            )}
          </div>
          {pay.isError && <ErrorNotice error={pay.error} title="Could not record the payment" />}
          {pay.isSuccess && <Notice kind="success">Payment recorded.</Notice>}
          <button type="submit" disabled={pay.isPending || !cents || tooMuch}>
            Record payment
          </button>
        </form>
      )}
    </section>
  );
}
