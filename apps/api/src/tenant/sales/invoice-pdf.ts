import PDFDocument from 'pdfkit';
import type { Customer, Invoice } from '@salesfleet/models';
import { fontRuns, type PdfFontName, pdfFont } from './pdf-fonts';

export interface InvoicePdfInput {
  invoice: Invoice;
  customer: Customer | null;
  company: { name: string; address: string | null; taxNumber: string | null };
  locationName: string;
  currency: string;
  locale: string;
}

const STATUS: Record<string, string> = { draft: 'DRAFT', issued: 'INVOICE', paid: 'INVOICE — PAID', void: 'VOID' };

type Doc = InstanceType<typeof PDFDocument>;
type TextOptions = PDFKit.Mixins.TextOptions;

/**
 * Writes text in the embedded Unicode fonts (pdf-fonts.ts): one run per font, continued on the same
 * line, so "Zoë Łukasz 東京" prints every character. `x`/`y` as pdfkit's (omitted: where the last text ended).
 */
function write(doc: Doc, text: string, bold: boolean, x?: number, y?: number, options: TextOptions = {}): Doc {
  const runs = fontRuns(text, bold);
  if (runs.length <= 1) return doc.font(bold ? 'bold' : 'regular').text(text, x, y, options);
  // pdfkit continues the next run on the same line only when the first one was placed explicitly.
  const at = { x: x ?? doc.x, y: y ?? doc.y };
  runs.forEach((run, i) => {
    doc.font(run.font);
    const continued = i < runs.length - 1;
    if (i === 0) doc.text(run.text, at.x, at.y, { ...options, continued });
    else doc.text(run.text, { continued });
  });
  return doc;
}

/** An invoice as an A4 PDF (pdfkit: text layout with wrapping, Unicode fonts embedded as subsets). */
export function renderInvoicePdf(input: InvoicePdfInput): Promise<Buffer> {
  const { invoice, customer } = input;
  const money = new Intl.NumberFormat(input.locale, { style: 'currency', currency: input.currency });
  const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
  const fmt = (minor: number) => money.format(minor / 10 ** digits);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `${input.company.name} ${invoice.number}`, Author: input.company.name },
  });
  for (const name of ['regular', 'bold', 'cjk', 'cjkBold'] as PdfFontName[]) doc.registerFont(name, pdfFont(name).data);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = 50;
  const right = doc.page.width - 50;
  write(doc.fontSize(18), input.company.name, true, left, 50, { width: 300 });
  doc.fontSize(10);
  if (input.company.address) write(doc, input.company.address, false, undefined, undefined, { width: 300 });
  if (input.company.taxNumber) write(doc, `Tax number ${input.company.taxNumber}`, false);
  write(doc, input.locationName, false);
  write(doc.fontSize(14), STATUS[invoice.status] ?? invoice.status.toUpperCase(), true, left, 50, { align: 'right' });
  doc.fontSize(10);
  write(doc, `No. ${invoice.number}`, false, undefined, undefined, { align: 'right' });
  write(doc, `Date ${String(invoice.issueDate).slice(0, 10)}`, false, undefined, undefined, { align: 'right' });

  doc.moveDown(2);
  if (customer) {
    write(doc, 'Bill to', true, left);
    write(doc, customer.name, false);
    if (customer.address) write(doc, customer.address, false);
    if (customer.email) write(doc, customer.email, false);
    if (customer.taxNumber) write(doc, `Tax number ${customer.taxNumber}`, false);
    doc.moveDown();
  }

  const cols = { description: left, qty: 300, price: 360, tax: 430, amount: 480 };
  const header = doc.y + 10;
  doc.fontSize(9);
  write(doc, 'Description', true, cols.description, header);
  write(doc, 'Qty', true, cols.qty, header, { width: 50, align: 'right' });
  write(doc, 'Price', true, cols.price, header, { width: 60, align: 'right' });
  write(doc, 'Tax', true, cols.tax, header, { width: 40, align: 'right' });
  write(doc, 'Amount', true, cols.amount, header, { width: right - cols.amount, align: 'right' });
  doc
    .moveTo(left, header + 14)
    .lineTo(right, header + 14)
    .stroke();
  doc.font('regular').fontSize(9);
  let y = header + 20;
  for (const line of invoice.lines ?? []) {
    const height = doc.heightOfString(line.description, { width: 240 });
    if (y + height > doc.page.height - 150) {
      doc.addPage();
      y = 50;
    }
    write(doc, line.description, false, cols.description, y, { width: 240 });
    write(doc, String(line.quantity), false, cols.qty, y, { width: 50, align: 'right' });
    write(doc, fmt(line.unitPrice), false, cols.price, y, { width: 60, align: 'right' });
    write(doc, `${line.taxRateBp / 100}%`, false, cols.tax, y, { width: 40, align: 'right' });
    write(doc, fmt(line.lineSubtotal), false, cols.amount, y, { width: right - cols.amount, align: 'right' });
    y += Math.max(height, 12) + 4;
  }
  doc.moveTo(left, y).lineTo(right, y).stroke();
  y += 8;

  const paid = (invoice.payments ?? []).reduce((s, p) => s + p.amount, 0);
  const rows: [string, string, boolean][] = [
    ['Subtotal', fmt(invoice.subtotal), false],
    ['Tax', fmt(invoice.tax), false],
    ['Total', fmt(invoice.total), true],
  ];
  if (paid > 0) rows.push(['Paid', fmt(invoice.amountPaid), false]);
  if (invoice.status === 'issued') rows.push(['Amount due', fmt(invoice.total - invoice.amountPaid), true]);
  for (const [label, value, bold] of rows) {
    doc.fontSize(bold ? 11 : 9);
    write(doc, label, bold, 330, y, { width: 120 });
    write(doc, value, bold, 450, y, { width: right - 450, align: 'right' });
    y += bold ? 16 : 13;
  }
  if (invoice.notes) {
    write(doc.fontSize(9), invoice.notes, false, left, y + 20, { width: right - left });
  }
  doc.end();
  return done;
}
