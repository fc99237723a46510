"""The ticket of the till, 80 mm wide, printed by the cashier screen or sent
by email: lines, discounts, VAT per rate, payments and change."""
from decimal import Decimal
from email.message import EmailMessage

from trytond import config
from trytond.pool import Pool
from trytond.report import Report
from trytond.sendmail import send_message_transactional

from .tender import money, number, percent


class Receipt(Report):
    "The ticket, as the customer takes it away."

    __name__ = 'cocagne.caisse.receipt'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['tickets'] = [cls.ticket(t) for t in records]
        return context

    @classmethod
    def ticket(cls, sale):
        "The figures of the ticket of sale, as printed."
        Lang = Pool().get('ir.lang')
        lang = Lang.get()
        company = sale.company
        address = company.party.address_get()
        taxes = sorted(sale._get_taxes().values(),
            key=lambda t: t.tax.rate or 0)
        return {
            'company': company.rec_name,
            'address': address.full_address.splitlines() if address else [],
            'siret': next((i.code for i in company.party.identifiers
                    if i.type == 'fr_siret'), None),
            'point': sale.point.rec_name,
            'number': sale.number or '',
            'date': lang.strftime(sale.date),
            'time': lang.strftime(sale.create_date, '%H:%M')
            if sale.create_date else '',
            'cashier': sale.employee.rec_name if sale.employee else '',
            'lines': [{
                    'product': l.product.name,
                    'quantity': number(Decimal(str(round(l.quantity, l.unit.digits)))
                        .normalize()),
                    'unit': l.unit.symbol,
                    'price': money(l.base_price or l.unit_price),
                    'discount': percent(l.discount) if l.discount else '',
                    'amount': money(l.amount),
                    } for l in sale.lines],
            'total': money(sale.total),
            'taxes': [{
                    'name': t.tax.description or t.tax.name,
                    'base': money(t.base),
                    'amount': money(t.amount),
                    } for t in taxes],
            'payments': cls.payments(sale),
            'change': money(sale.caisse_change)
            if sale.caisse_change else '',
            }

    @staticmethod
    def payments(sale):
        "The payments as received: the change given is part of the cash."
        received = [[p.method, p.amount] for p in sale.payments]
        cash = [r for r in received if r[0].cash]
        if cash and sale.caisse_change:
            cash[-1][1] += sale.caisse_change
        return [{'method': m.name, 'amount': money(a)} for m, a in received]


def render(ticket_id):
    "The HTML of the receipt of the ticket of id ticket_id."
    Report = Pool().get('cocagne.caisse.receipt', type='report')
    _, content, _, _ = Report.execute([ticket_id], {})
    return content.decode('utf-8') if isinstance(content, bytes) else content


def send(ticket, to):
    """Send the receipt of ticket by email to the address to, once the
    transaction commits."""
    content = render(ticket.id)
    message = EmailMessage()
    message['From'] = config.get('email', 'from')
    message['To'] = to
    message['Subject'] = f"Votre ticket {ticket.number} – {ticket.company.rec_name}"
    message.set_content(
        f"Bonjour,\n\nVoici votre ticket {ticket.number} du "
        f"{ticket.date:%d/%m/%Y} : {money(ticket.total)}.\n\n"
        f"{ticket.company.rec_name}\n")
    message.add_alternative(content, subtype='html')
    send_message_transactional(message)
