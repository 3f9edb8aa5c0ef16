import { useState, type FormEvent } from 'react';
import {
  type Column,
  ErrorNotice,
  isApiError,
  ListFrame,
  moneyInput,
  Notice,
  parseMoney,
  queryString,
  TextField,
  useDebouncedInput,
} from '@salesfleet/ui';
import { parseQuantity } from '@salesfleet/contracts';
import { locationName, useLocations } from '../api/queries';
import type { Location, Page, Product, StockMovement, TaxRate } from '../api/types';
import { useApi, useApiWrite } from '../api/use-api';
import { allPages } from '../lib/all-pages';
import { quantityText } from '../lib/quantity';
import { useSession } from '../lib/session-context';
import { Tabs } from '../components/tabs';
import { ExpiringStock } from './expiring-stock';
import { useUrlState } from '../lib/url-state';

const LIMIT = 25;

export function ProductsScreen() {
  const { can, money, workspace } = useSession();
  const locations = useLocations();
  const [f, setF] = useUrlState(['q', 'offset', 'tab'] as const);
  const [q, setQ] = useDebouncedInput(f.q, (q) => setF({ q }));
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [moving, setMoving] = useState<Product | null>(null);
  const path = (page: Record<string, unknown>) => `/products${queryString({ q: f.q, ...page })}`;
  const list = useApi<{ products: Product[] } & Page>(path({ offset: f.offset, limit: LIMIT }));
  const active = (locations.data ?? []).filter((l) => l.isActive);
  const onHand = (p: Product, locationId: number) => p.stock.find((s) => s.locationId === locationId)?.quantity ?? 0;
  const columns: Column<Product>[] = [
    {
      header: 'Product',
      cell: (p) => (
        <>
          {p.name} {!p.isActive && <span className="badge badge-muted">inactive</span>}
        </>
      ),
      csv: (p) => p.name,
    },
    { header: 'SKU', cell: (p) => p.sku, csv: (p) => p.sku },
    { header: 'Price', cell: (p) => money(p.unitPrice), csv: (p) => moneyInput(p.unitPrice, workspace.currency), num: true },
    ...active.map(
      (l): Column<Product> => ({
        header: workspace.multiLocation || active.length > 1 ? l.name : 'On hand',
        cell: (p) => onHand(p, l.id),
        csv: (p) => onHand(p, l.id),
        num: true,
      }),
    ),
    {
      header: '',
      className: 'nowrap',
      cell: (p) => (
        <>
          {(can('sales.adjust_stock') || can('sales.transfer_stock')) && (
            <button type="button" className="secondary outline small" onClick={() => setMoving(p)} aria-label={`Stock of ${p.name}`}>
              Stock…
            </button>
          )}{' '}
          {can('sales.change_product') && (
            <button type="button" className="secondary outline small" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
              Edit
            </button>
          )}
        </>
      ),
    },
  ];
  return (
    <section>
      <div className="page-head">
        <h1>Products &amp; stock</h1>
        {can('sales.add_product') && editing === null && (
          <button type="button" onClick={() => setEditing('new')}>
            Add product
          </button>
        )}
      </div>
      <Tabs
        label="Products and stock"
        tabs={[
          { id: 'products', label: 'Products' },
          ...(can('sales.view_stock_level') ? [{ id: 'expiring', label: 'Expiring soon' }] : []),
        ]}
        current={f.tab === 'expiring' && can('sales.view_stock_level') ? 'expiring' : 'products'}
        onChange={(tab) => setF({ tab: tab === 'products' ? '' : tab, offset: '' })}
      />
      {f.tab === 'expiring' && can('sales.view_stock_level') ? (
        <ExpiringStock />
      ) : (
        <>
          {editing !== null && <ProductForm product={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
          {moving && <StockForm product={moving} locations={active} onDone={() => setMoving(null)} />}
          <ListFrame
            query={list}
            rows={(d) => d.products}
            columns={columns}
            rowKey={(p) => p.id}
            noun="products"
            label="Products"
            filtered={Boolean(f.q)}
            filters={
              <label>
                Search
                <input type="search" placeholder="Name or SKU" value={q} onChange={(e) => setQ(e.target.value)} />
              </label>
            }
            empty={<p>Add the products you sell; then receive their stock.</p>}
            page={(d) => d}
            onOffsetChange={(o) => setF({ offset: String(o) }, false)}
            csvName={`${workspace.slug}-products.csv`}
            allRows={() => allPages<Product>(path, 'products')}
          />
          {can('sales.view_stock_movement') && <Movements locations={locations.data ?? []} />}
        </>
      )}
    </section>
  );
}

function ProductForm({ product, onDone }: { product: Product | null; onDone: () => void }) {
  const { workspace, can } = useSession();
  const rates = useApi<{ taxRates: TaxRate[] }>('/tax-rates', { enabled: can('accounting.view_tax_rate') });
  const [v, setV] = useState({
    sku: product?.sku ?? '',
    name: product?.name ?? '',
    price: product ? moneyInput(product.unitPrice, workspace.currency) : '',
    cost: product?.costPrice !== null && product?.costPrice !== undefined ? moneyInput(product.costPrice, workspace.currency) : '',
    taxRateId: product ? String(product.taxRateId ?? '') : 'standard',
  });
  const save = useApiWrite<Record<string, unknown>>(product ? 'PATCH' : 'POST', () => (product ? `/products/${product.id}` : '/products'), [
    'products',
  ]);
  const fields = isApiError(save.error) ? save.error.fieldErrors() : {};
  const price = parseMoney(v.price, workspace.currency);
  const cost = v.cost.trim() ? parseMoney(v.cost, workspace.currency) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (price === null || (v.cost.trim() && cost === null)) return;
    save.mutate(
      {
        sku: v.sku.trim(),
        name: v.name.trim(),
        unitPrice: price,
        costPrice: cost,
        ...(v.taxRateId === 'standard' ? {} : { taxRateId: v.taxRateId ? Number(v.taxRateId) : null }),
      },
      { onSuccess: onDone },
    );
  };
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  return (
    <form onSubmit={submit} aria-label={product ? `Edit ${product.name}` : 'New product'}>
      <h2>{product ? `Edit ${product.name}` : 'New product'}</h2>
      <div className="filters">
        <TextField id="p-sku" label="SKU / barcode" value={v.sku} onValueChange={set('sku')} required maxLength={64} error={fields.sku} />
        <TextField id="p-name" label="Name" value={v.name} onValueChange={set('name')} required maxLength={200} error={fields.name} />
        <TextField
          id="p-price"
          label="Price before tax"
          inputMode="decimal"
          value={v.price}
          onValueChange={set('price')}
          required
          error={v.price && price === null ? 'Not an amount' : fields.unitPrice}
        />
        <TextField
          id="p-cost"
          label="Cost"
          inputMode="decimal"
          value={v.cost}
          onValueChange={set('cost')}
          optional
          error={v.cost && cost === null ? 'Not an amount' : fields.costPrice}
        />
        <div className="field">
          <label htmlFor="p-tax">Tax</label>
          <select id="p-tax" value={v.taxRateId} onChange={(e) => set('taxRateId')(e.target.value)}>
            {!product && <option value="standard">Standard rate</option>}
            <option value="">No tax</option>
            {rates.data?.taxRates.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {save.isError && Object.keys(fields).length === 0 && <ErrorNotice error={save.error} title="Could not save the product" />}
      <div className="actions">
        <button type="submit" disabled={save.isPending || !v.sku.trim() || !v.name.trim() || price === null}>
          Save
        </button>
        <button type="button" className="secondary outline" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type StockKind = 'receipt' | 'adjustment' | 'transfer';

/** Receive goods at a location, correct the count (a signed adjustment) or move units to another location. */
function StockForm({ product, locations, onDone }: { product: Product; locations: Location[]; onDone: () => void }) {
  const { can } = useSession();
  const canTransfer = can('sales.transfer_stock') && locations.length > 1;
  const [kind, setKind] = useState<StockKind>(can('sales.adjust_stock') ? 'receipt' : 'transfer');
  const [locationId, setLocationId] = useState(String(locations[0]?.id ?? ''));
  const [toId, setToId] = useState(String(locations[1]?.id ?? ''));
  const [quantity, setQuantity] = useState('');
  const [note, setNote] = useState('');
  const refresh = ['products', 'stock', 'dashboard'];
  const adjust = useApiWrite<Record<string, unknown>, { quantity: number }>('POST', () => '/stock/adjustments', refresh);
  const transfer = useApiWrite<Record<string, unknown>, { from: number; to: number }>('POST', () => '/stock/transfers', refresh);
  const move = kind === 'transfer' ? transfer : adjust;
  const q = parseQuantity(quantity);
  const onHand = (id: string) => product.stock.find((s) => String(s.locationId) === id)?.quantity ?? 0;
  const problem = !quantity.trim()
    ? null
    : q === null || q === 0
      ? 'A number other than 0, at most 3 decimals'
      : kind !== 'adjustment' && q < 0
        ? 'A positive number'
        : kind === 'transfer' && toId === locationId
          ? 'Choose another location to move to'
          : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (q === null || problem) return;
    const body = { productId: product.id, quantity: quantityText(q), note: note.trim() || null };
    if (kind === 'transfer') transfer.mutate({ ...body, fromLocationId: Number(locationId), toLocationId: Number(toId) });
    else adjust.mutate({ ...body, locationId: Number(locationId), reason: kind });
  };
  const choose = (k: StockKind) => {
    setKind(k);
    adjust.reset();
    transfer.reset();
  };
  return (
    <form onSubmit={submit} aria-label={`Stock of ${product.name}`}>
      <h2>Stock of {product.name}</h2>
      <div className="tenders" role="radiogroup" aria-label="Kind of stock change">
        {can('sales.adjust_stock') && (
          <>
            <label>
              <input type="radio" name="stock-kind" checked={kind === 'receipt'} onChange={() => choose('receipt')} /> Receive goods
            </label>
            <label>
              <input type="radio" name="stock-kind" checked={kind === 'adjustment'} onChange={() => choose('adjustment')} /> Adjust the
              count
            </label>
          </>
        )}
        {canTransfer && (
          <label>
            <input type="radio" name="stock-kind" checked={kind === 'transfer'} onChange={() => choose('transfer')} /> Move to another
            location
          </label>
        )}
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="s-location">{kind === 'transfer' ? 'From' : 'Location'}</label>
          <select id="s-location" value={locationId} onChange={(e) => setLocationId(e.target.value)}>
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({onHand(String(l.id))} on hand)
              </option>
            ))}
          </select>
        </div>
        {kind === 'transfer' && (
          <div className="field">
            <label htmlFor="s-to">To</label>
            <select id="s-to" value={toId} onChange={(e) => setToId(e.target.value)}>
              {locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name} ({onHand(String(l.id))} on hand)
                </option>
              ))}
            </select>
          </div>
        )}
        <TextField
          id="s-quantity"
          label={kind === 'receipt' ? 'Units received' : kind === 'transfer' ? 'Units to move' : 'Units (+ found, − missing)'}
          inputMode="decimal"
          value={quantity}
          onValueChange={setQuantity}
          error={problem ?? undefined}
        />
        <TextField id="s-note" label="Note" value={note} onValueChange={setNote} optional maxLength={100} />
      </div>
      {move.isError && (
        <ErrorNotice error={move.error} title={kind === 'transfer' ? 'Could not move the stock' : 'Could not change the stock'} />
      )}
      {adjust.isSuccess && kind !== 'transfer' && (
        <Notice kind="success">
          Done: {adjust.data.quantity} now on hand at {locationName(locations, Number(locationId))}.
        </Notice>
      )}
      {transfer.isSuccess && kind === 'transfer' && (
        <Notice kind="success">
          Moved: {transfer.data.from} left at {locationName(locations, Number(locationId))}, {transfer.data.to} now at{' '}
          {locationName(locations, Number(toId))}.
        </Notice>
      )}
      <div className="actions">
        <button type="submit" disabled={move.isPending || !quantity || Boolean(problem)}>
          {kind === 'receipt' ? 'Receive' : kind === 'transfer' ? 'Move' : 'Adjust'}
        </button>
        <button type="button" className="secondary outline" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}

function Movements({ locations }: { locations: Location[] }) {
  const { dateTime } = useSession();
  const [offset, setOffset] = useState(0);
  const list = useApi<{ movements: StockMovement[] } & Page>(`/stock/movements?limit=10&offset=${offset}`);
  const columns: Column<StockMovement>[] = [
    { header: 'When', cell: (m) => dateTime(m.createdAt) },
    { header: 'Product', cell: (m) => `#${m.productId}` },
    { header: 'Location', cell: (m) => locationName(locations, m.locationId) },
    { header: 'Reason', cell: (m) => m.reason },
    { header: 'Units', cell: (m) => (m.quantity > 0 ? `+${m.quantity}` : m.quantity), num: true },
  ];
  return (
    <details>
      <summary>Latest stock movements</summary>
      <ListFrame
        query={list}
        rows={(d) => d.movements}
        columns={columns}
        rowKey={(m) => m.id}
        noun="stock movements"
        label="Latest stock movements"
        empty={<p>Receipts, sales, adjustments and transfers appear here.</p>}
        page={(d) => d}
        onOffsetChange={setOffset}
      />
    </details>
  );
}
