# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The purchases of a closed cycle: one per partner farm for what its
offers bought from the farm sold, sent to the farm with its document.

The purchase price is what the farm receives per unit, excluding VAT: the
offer's price less the shop's commission. Consigned goods are not bought:
they are already in the garden's stock and the settlement pays them."""
from collections import defaultdict

from trytond.model import ModelView, fields
from trytond.modules.product import round_price
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .cycle import one_per_party

# the states of the orders whose lines a cycle's purchases buy
SOLD = ['confirmed', 'processing', 'done']


def producer_price(unit_price, commission_rate):
    """What the farm receives per unit sold at unit_price (excluding VAT)
    once the shop's commission_rate is withheld."""
    return unit_price * (1 - commission_rate)


def farm_quantities(sold):
    """{(cycle, farm): [(offer, quantity)]} of sold, [(cycle, farm, offer,
    quantity)] of the lines of the orders, summed per offer; nothing for
    an offer that sold nothing."""
    totals = defaultdict(float)
    for cycle, farm, offer, quantity in sold:
        totals[cycle, farm, offer] += quantity
    farms = defaultdict(list)
    for (cycle, farm, offer), quantity in totals.items():
        if quantity > 0:
            farms[cycle, farm].append((offer, quantity))
    return dict(farms)


class Purchase(metaclass=PoolMeta):
    __name__ = 'purchase.purchase'

    order_cycle = fields.Many2One('cocagne.order_cycle', "Order Cycle",
        readonly=True, ondelete='RESTRICT')
    farm_email = fields.Selection([
            (None, ""),
            ('sent', "Sent"),
            ('no_email', "Not Sent: No Email Address"),
            ('no_address', "Not Sent: No Address, to Confirm"),
            ], "Email to the Farm", readonly=True,
        states={
            'invisible': ~Eval('order_cycle'),
            },
        help="Whether the purchase was emailed to the farm with its "
        "document when confirmed.\n"
        "No email address: add one to the farm and send it again.\n"
        "No address: add the farm's address and confirm the purchase, "
        "which sends it.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('order_cycle_party_unique', one_per_party(t),
                'cocagne_bio_shop.msg_purchase_cycle_farm_unique'),
            ]
        cls._buttons.update({
                'send_to_farm': {
                    'invisible': (~Eval('order_cycle')
                        | ~Eval('state').in_(
                            ['confirmed', 'processing', 'done'])),
                    'icon': 'tryton-email',
                    'depends': ['order_cycle', 'state'],
                    },
                })

    @classmethod
    def copy(cls, purchases, default=None):
        default = default.copy() if default else {}
        default.setdefault('order_cycle')
        default.setdefault('farm_email')
        return super().copy(purchases, default=default)

    @classmethod
    def make_for_cycles(cls, cycles):
        """Make, confirm and send the purchases of the partner farms of the
        closing cycles, one per farm and cycle for what its offers supplied
        by purchase sold; a farm that has one already gets no other.
        Confirming them sends them. Return the new purchases."""
        pool = Pool()
        Line = pool.get('sale.line')
        cycles = list(cycles)
        if not cycles:
            return []
        cycle_ids = [c.id for c in cycles]
        made = {(p.order_cycle, p.party) for p in cls.search([
                    ('order_cycle', 'in', cycle_ids),
                    ('state', '!=', 'cancelled'),
                    ])}
        # by-weight lines count at their ordered estimate: the farm
        # delivers what was ordered, before the packing
        farms = farm_quantities(
            (o.cycle, o.producer, o, quantity)
            for o, quantity in Line.sold_per_offer([
                    ('offer.cycle', 'in', cycle_ids),
                    ('offer.supply', '=', 'purchase'),
                    ('sale.state', 'in', SOLD),
                    ('type', '=', 'line'),
                    ]))
        purchases = [cls._cycle_purchase(cycle, farm, offers)
            for (cycle, farm), offers in sorted(farms.items(),
                key=lambda i: (i[0][0].id, i[0][1].rec_name))
            if (cycle, farm) not in made]
        cls.save(purchases)
        # a farm without address does not stop the close (a cron): its
        # purchase waits in draft for the address, then is confirmed
        cls.write([p for p in purchases if not p.invoice_address],
            {'farm_email': 'no_address'})
        ready = [p for p in purchases if p.invoice_address]
        cls.quote(ready)
        cls.confirm(ready)
        return purchases

    @classmethod
    def _cycle_purchase(cls, cycle, farm, offers):
        """The purchase from farm of offers [(offer, quantity)] sold in
        cycle, at the producer's price, delivered to the shop's warehouse
        by the delivery date."""
        pool = Pool()
        Line = pool.get('purchase.line')
        purchase = cls(company=cycle.company, party=farm, order_cycle=cycle,
            warehouse=cycle.shop.warehouse,
            delivery_date=cycle.delivery_date,
            description=cycle.rec_name)
        purchase.on_change_party()
        purchase.currency = cycle.shop.currency or cycle.company.currency
        # not invoiced from the purchase: the producer settlement makes the
        # single supplier invoice of the farm for the cycle
        purchase.invoice_method = 'manual'
        rate = cycle.shop.commission_rate or 0
        lines = []
        for offer, quantity in sorted(offers, key=lambda o: o[0].id):
            line = Line(purchase=purchase, type='line',
                product=offer.product, unit=offer.unit,
                quantity=offer.unit.round(quantity))
            line.on_change_product()
            line.unit = offer.unit
            line.unit_price = round_price(
                producer_price(offer.unit_price, rate))
            lines.append(line)
        purchase.lines = lines
        return purchase

    @classmethod
    def confirm(cls, purchases):
        super().confirm(purchases)
        cls.send_to_farm([p for p in purchases if p.order_cycle
                and p.state in SOLD and p.farm_email != 'sent'])

    @classmethod
    @ModelView.button
    def send_to_farm(cls, purchases):
        """Email each purchase of a cycle to its farm with its document,
        in the farm's language, through the email template (logged on the
        purchase); note those whose farm has no email address."""
        pool = Pool()
        Email = pool.get('ir.email')
        ModelData = pool.get('ir.model.data')
        Template = pool.get('ir.email.template')
        template_id = ModelData.get_id(
            'cocagne_bio_shop', 'email_template_purchase')
        result = defaultdict(list)
        for purchase in purchases:
            if not purchase.order_cycle:
                continue
            language, = Template.get_languages(purchase.party)[:1]
            with Transaction().set_context(language=language.code):
                values = Template(template_id).get(purchase)
                if not values.get('to'):
                    result['no_email'].append(purchase)
                    continue
                Email.send(to=', '.join(values['to']),
                    subject=values.get('subject', ''),
                    body=values.get('body', ''),
                    record=(cls.__name__, purchase.id),
                    reports=values.get('reports'))
            result['sent'].append(purchase)
        for state, records in result.items():
            cls.write(records, {'farm_email': state})
