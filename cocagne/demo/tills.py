"""The tills of the gardens (sale_point): a till selling from a storage
location, its ticket sequence, the garden's payment methods and its cash
transfer types. Shared by the vans' tills (tournees) and the shops'
(caisse)."""
from proteus import Model

from .common import get_or_none, ref

# the payment methods of a garden's tills: name, account code, cash
PAYMENT_METHODS = [("Espèces", '5311', True), ("Carte bancaire", '5121', False),
    ("Chèque", '5112', False), ("Titres-restaurant", '5113', False)]
# the transfer of a till's cash to the bank: name, account code
DEPOSIT = ("Versement en banque", '5121')


def load_till(company, name, prefix, storage):
    """The till of company named name selling from storage, taxes included,
    its tickets numbered with prefix."""
    Location = Model.get('stock.location')
    Point = Model.get('sale.point')
    Journal = Model.get('account.journal')
    Sequence = Model.get('ir.sequence.strict')
    SequenceType = Model.get('ir.sequence.type')
    point = get_or_none('sale.point', [('company', '=', company.id),
            ('storage_location', '=', storage.id)])
    if not point:
        sequence = Sequence(name=f"Tickets – {name}", prefix=prefix,
            company=company, sequence_type=SequenceType(
                ref('sale_point', 'sequence_type_sale')))
        sequence.save()
        journal, = Journal.find([('type', '=', 'revenue')], limit=1)
        customer, = Location.find([('code', '=', 'CUS')])
        point = Point(name=name, company=company, journal=journal,
            sequence=sequence, storage_location=storage,
            customer_location=customer, tax_included=True)
        point.save()
    return point


def load_methods(company):
    "The payment methods of company's tills, in PAYMENT_METHODS' order."
    Account = Model.get('account.account')
    Method = Model.get('sale.point.payment.method')
    methods = []
    for name, code, cash in PAYMENT_METHODS:
        method = get_or_none('sale.point.payment.method', [
                ('company', '=', company.id), ('name', '=', name)])
        if not method:
            account, = Account.find([('company', '=', company.id),
                    ('code', '=', code)])
            method = Method(company=company, name=name, account=account,
                cash=cash)
            method.save()
        methods.append(method)
    return methods


def transfer_type(company, name, code):
    "The cash transfer type of company named name, to account code."
    Journal = Model.get('account.journal')
    Account = Model.get('account.account')
    Type = Model.get('sale.point.cash.transfer.type')
    found = get_or_none('sale.point.cash.transfer.type', [
            ('company', '=', company.id), ('name', '=', name)])
    if not found:
        journal, = Journal.find([('type', '=', 'cash')], limit=1)
        account, = Account.find([('company', '=', company.id),
                ('code', '=', code)])
        found = Type(company=company, name=name, journal=journal,
            account=account)
        found.save()
    return found


def prices(till, products, date):
    """{product: (gross price, unit price)} of products on till at date, as
    a ticket line prices them."""
    Sale = Model.get('sale.point.sale')
    sale = Sale(point=till, date=date)
    result = {}
    for product in products:
        line = sale.lines.new()
        line.product = product
        result[product] = (line.unit_gross_price, line.unit_list_price)
        sale.lines.remove(line)
    return result


def close_session(company, till, date, float_):
    """Close the open cash session of till on date: the cash above float_
    taken to the bank, the rest counted."""
    Session = Model.get('sale.point.cash.session')
    Transfer = Model.get('sale.point.cash.transfer')
    session, = Session.find([('point', '=', till.id), ('state', '=', 'open')])
    cash = session.start_amount + session.balance
    if cash > float_:
        Transfer(point=till, session=session, date=date,
            type=transfer_type(company, *DEPOSIT), amount=float_ - cash).save()
        cash = float_
    session.reload()
    session.end_amount = cash
    session.save()
    session.click('close')
    session.click('post')
