import PDFDocument from 'pdfkit';
import type { Customer, Invoice } from '@salesfleet/models';

export interface InvoicePdfInput {
  invoice: Invoice;
  customer: Customer | null;
  company: { name: string; address: string | null; taxNumber: string | null };
  locationName: string;
  currency: string;
  locale: string;
}

const STATUS: Record<string, string> = { draft: 'DRAFT', issued: 'INVOICE', paid: 'INVOICE — PAID', void: 'VOID' };

/**
 * An invoice as an A4 PDF (pdfkit: text layout with wrapping and the standard PDF fonts, so no font
 * files ship with the server; characters outside Latin-1 print as the nearest the font has).
 */
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
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = 50;
  const right = doc.page.width - 50;
  doc.font('Helvetica-Bold').fontSize(18).text(input.company.name, left, 50, { width: 300 });
  doc.font('Helvetica').fontSize(10);
  if (input.company.address) doc.text(input.company.address, { width: 300 });
  if (input.company.taxNumber) doc.text(`Tax number ${input.company.taxNumber}`);
  doc.text(input.locationName);
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .text(STATUS[invoice.status] ?? invoice.status.toUpperCase(), left, 50, { align: 'right' });
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`No. ${invoice.number}`, { align: 'right' })
    .text(`Date ${String(invoice.issueDate).slice(0, 10)}`, { align: 'right' });

  doc.moveDown(2);
  if (customer) {
    doc.font('Helvetica-Bold').text('Bill to', left);
    doc.font('Helvetica').text(customer.name);
    if (customer.address) doc.text(customer.address);
    if (customer.email) doc.text(customer.email);
    if (customer.taxNumber) doc.text(`Tax number ${customer.taxNumber}`);
    doc.moveDown();
  }

  const cols = { description: left, qty: 300, price: 360, tax: 430, amount: 480 };
  const header = doc.y + 10;
  doc.font('Helvetica-Bold').fontSize(9);
  doc.text('Description', cols.description, header);
  doc.text('Qty', cols.qty, header, { width: 50, align: 'right' });
  doc.text('Price', cols.price, header, { width: 60, align: 'right' });
  doc.text('Tax', cols.tax, header, { width: 40, align: 'right' });
  doc.text('Amount', cols.amount, header, { width: right - cols.amount, align: 'right' });
  doc
    .moveTo(left, header + 14)
    .lineTo(right, header + 14)
    .stroke();
  doc.font('Helvetica').fontSize(9);
  let y = header + 20;
  for (const line of invoice.lines ?? []) {
    const height = doc.heightOfString(line.description, { width: 240 });
    if (y + height > doc.page.height - 150) {
      doc.addPage();
      y = 50;
    }
    doc.text(line.description, cols.description, y, { width: 240 });
    doc.text(String(line.quantity), cols.qty, y, { width: 50, align: 'right' });
    doc.text(fmt(line.unitPrice), cols.price, y, { width: 60, align: 'right' });
    doc.text(`${line.taxRateBp / 100}%`, cols.tax, y, { width: 40, align: 'right' });
    doc.text(fmt(line.lineSubtotal), cols.amount, y, { width: right - cols.amount, align: 'right' });
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
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 11 : 9);
    doc.text(label, 330, y, { width: 120 });
    doc.text(value, 450, y, { width: right - 450, align: 'right' });
    y += bold ? 16 : 13;
  }
  if (invoice.notes) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(invoice.notes, left, y + 20, { width: right - left });
  }
  doc.end();
  return done;
}
