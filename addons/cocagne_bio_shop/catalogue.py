# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the storefront shows of a Cocagne Bio shop (API.md): its open
cycles, the catalogue and pickup places of a cycle, a customer's orders and
basket subscriptions. Everything is read in batches (search and browse of
lists): the queries of a catalogue do not grow with its offers. A
cycle's catalogue is cached until one of its offers, fees or remaining
quantities changes (clear_catalogues)."""
import datetime as dt
import json

from trytond.modules.cocagne_base.product import (
    allergen_names, sold_by_weight)
from trytond.cache import Cache
from trytond.modules.cocagne_base.web import amount
from trytond.pool import Pool
from trytond.transaction import Transaction

_catalogues = Cache('cocagne_bio_shop.catalogue', context=False)
# the catalogue's pages as the storefront rendered them
catalogue_pages = Cache('cocagne_bio_shop.catalogue_page', context=False)


def clear_catalogues():
    """Forget the cached catalogues and their pages, for every process
    once the transaction is committed: an offer, a fee, a cycle, a product
    or what remains of an offer changed."""
    _catalogues.clear()
    catalogue_pages.clear()


class CatalogueMixin:
    "A model whose records are shown in the catalogues of the cycles."
    __slots__ = ()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        clear_catalogues()


def cached_catalogue(shop, cycle_id):
    """The catalogue of the open cycle cycle_id of shop as JSON text (see
    catalogue()), from the cache when it holds it; None for no such cycle."""
    key = (shop.id, cycle_id, Transaction().language)
    text = _catalogues.get(key)
    if text is None:
        cycle = shop_cycle(shop, cycle_id)
        if not cycle:
            return None
        text = _catalogues.set(key, json.dumps(catalogue(cycle)))
    return text


def shop_cycle(shop, cycle_id, states=('open',)):
    "The cycle cycle_id of shop in states, or None."
    Cycle = Pool().get('cocagne.order_cycle')
    cycles = Cycle.search([
            ('id', '=', cycle_id),
            ('shop', '=', shop.id),
            ('company', '=', shop.company.id),
            ('state', 'in', list(states)),
            ], limit=1)
    return cycles[0] if cycles else None


def timestamp(value):
    "A datetime stored in UTC as an ISO 8601 string with its offset."
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc).isoformat()


def cycle_summary(cycle):
    "A cycle as the list of cycles and the orders show it."
    return {
        'id': cycle.id,
        'name': cycle.name,
        'opens_at': timestamp(cycle.opens_at),
        'closes_at': timestamp(cycle.closes_at),
        'delivery_date': cycle.delivery_date.isoformat(),
        'timezone': cycle.company.timezone,
        }


def open_cycles(shop):
    "The open cycles of shop, the next delivery first."
    Cycle = Pool().get('cocagne.order_cycle')
    return Cycle.search([
            ('shop', '=', shop.id),
            ('company', '=', shop.company.id),
            ('state', '=', 'open'),
            ], order=[('delivery_date', 'ASC'), ('id', 'ASC')])


def catalogue(cycle):
    """The offers of cycle and its customer fees, prices including VAT,
    in the context of its shop: see API.md."""
    pool = Pool()
    Date = pool.get('ir.date')
    Offer = pool.get('cocagne.order_cycle.offer')
    shop = cycle.shop
    with Transaction().set_context(shop.get_context()):
        cycle = cycle.__class__(cycle.id)
        company = shop.company
        today = Date.today()
        # the ids only: trytond's search puts in the cache the fields of
        # its first 200 records (cache.model), and the getters of the
        # offers' function fields would read the others once more
        cursor = Transaction().connection.cursor()
        cursor.execute(*Offer.search([
                    ('cycle', '=', cycle.id),
                    ('cycle.company', '=', company.id),
                    ], order=[('product.template.name', 'ASC'), ('id', 'ASC')],
                query=True))
        offers = Offer.browse([i for i, in cursor])
        fees = [f for f in cycle.fees if f.payer == 'customer']
        prices = taxed_prices(shop,
            [(o, o.product, o.unit_price) for o in offers]
            + [(f, f.product, f.amount) for f in fees], today)
        certifiers = _certifiers(company, {o.producer for o in offers}, today)
        allergens = allergen_names()
        currency = shop.currency
        return {
            'cycle': cycle_summary(cycle),
            'shop': {'id': shop.id, 'name': shop.name},
            'currency': {'code': currency.code, 'symbol': currency.symbol,
                'digits': currency.digits},
            'offers': [_offer(o, prices[o], certifiers, allergens)
                for o in offers],
            'fees': [{
                    'id': f.id, 'name': f.name, 'basis': f.basis,
                    'amount': amount(prices[f]),
                    } for f in fees],
            }


def _offer(offer, price, certifiers, allergens):
    """An offer at price (VAT included) as the storefront shows it;
    certifiers: {producer id: control body code}; allergens: {key: name}."""
    product, unit = offer.product, offer.unit
    template = product.template
    return {
        'id': offer.id,
        'product': product.id,
        'name': product.name,
        'producer': {'id': offer.producer.id, 'name': offer.producer.name},
        'organic': bool(template.organic),
        'certifier': (certifiers.get(offer.producer.id)
            if template.organic else None),
        'allergens': [{'code': a, 'name': allergens.get(a, a)}
            for a in template.allergens or []],
        'categories': [{'id': c.id, 'name': c.name}
            for c in template.categories],
        'price': amount(price),
        'unit': unit.symbol,
        'weighed': sold_by_weight(product),
        'digits': unit.digits,
        'remaining': offer.remaining,
        }


def taxed_prices(shop, items, date):
    """{key: price including VAT, rounded to the currency} of items [(key,
    product, price excluding VAT)], with the customer taxes of the product
    and the shop's tax rule, as web_shop prices its products."""
    Tax = Pool().get('account.tax')
    rule = shop._customer_taxe_rule()
    browsed = {}
    result = {}
    for key, product, price in items:
        tax_ids = []
        for tax in product.customer_taxes_used:
            tax_ids.extend((rule.apply(tax, {}) or []) if rule else [tax.id])
        if rule:
            tax_ids.extend(rule.apply(None, {}) or [])
        tax_ids = tuple(sorted(set(tax_ids)))
        if tax_ids not in browsed:
            browsed[tax_ids] = Tax.browse(tax_ids)
        taxes = Tax.compute(browsed[tax_ids], price, 1, date)
        result[key] = shop.currency.round(
            price + sum(t['amount'] for t in taxes))
    return result


def _certifiers(company, producers, date):
    """{producer id: code of the control body} of the producers holding an
    organic certificate of company valid on date."""
    Certificate = Pool().get('cocagne.organic.certificate')
    certificates = Certificate.search([
            ('company', '=', company.id),
            ('producer', 'in', [p.id for p in producers]),
            ('valid_from', '<=', date),
            ('valid_to', '>=', date),
            ], order=[('valid_to', 'ASC'), ('id', 'ASC')])
    # the certificate valid the longest wins
    return {c.producer.id: c.certifier.code for c in certificates}


def pickups(cycle):
    "The pickup places of cycle, the earliest first: see API.md."
    Pickup = Pool().get('cocagne.order_cycle.pickup')
    result = []
    for pickup in Pickup.search([
                ('cycle', '=', cycle.id),
                ('cycle.company', '=', cycle.company.id),
                ], order=[('starts_at', 'ASC'), ('id', 'ASC')]):
        place = pickup.place
        result.append({
                'id': pickup.id,
                'name': place.name,
                'address': {
                    'street': place.street or None,
                    'postal_code': place.postal_code or None,
                    'city': place.city or None,
                    'country': place.country.name if place.country else None,
                    },
                'latitude': place.latitude,
                'longitude': place.longitude,
                'starts_at': timestamp(pickup.starts_at),
                'ends_at': timestamp(pickup.ends_at),
                'instructions': pickup.instructions or None,
                'full': (pickup.capacity is not None
                    and pickup.orders >= pickup.capacity),
                })
    return result


def customer_orders(shop, party):
    "The orders of party in the cycles of shop, the latest delivery first."
    Sale = Pool().get('sale.sale')
    return Sale.search([
            ('party', '=', party.id),
            ('company', '=', shop.company.id),
            ('order_cycle.shop', '=', shop.id),
            ], order=[('sale_date', 'DESC'), ('id', 'DESC')])


def orders(sales):
    """The orders sales as their customer sees them; the lines' prices
    exclude VAT, the totals give it: see API.md."""
    return [{
            'id': s.id,
            'number': s.number,
            'state': s.state,
            'state_name': s.state_string,
            'cycle': cycle_summary(s.order_cycle),
            'pickup': {
                'id': s.pickup.id, 'name': s.pickup.place.name,
                'starts_at': timestamp(s.pickup.starts_at),
                'ends_at': timestamp(s.pickup.ends_at),
                } if s.pickup else None,
            'lines': [_order_line(l) for l in s.lines if l.type == 'line'],
            'untaxed': amount(s.untaxed_amount),
            'tax': amount(s.tax_amount),
            'total': amount(s.total_amount),
            } for s in sales]


def _order_line(line):
    return {
        'id': line.id,
        'offer': line.offer.id if line.offer else None,
        'product': line.product.id if line.product else None,
        'description': line.offer.product.name if line.offer
        else line.description,
        'quantity': line.quantity,
        'unit': line.unit.symbol if line.unit else None,
        'weighed': line.weighed,
        'actual_weight': line.actual_weight,
        'unit_price': amount(line.unit_price),
        'amount': amount(line.amount),
        'fee': bool(line.cycle_fee),
        }


def subscriptions(shop, party):
    """The basket subscriptions of party in shop's garden, not closed; []
    where the baskets are not installed."""
    try:
        Subscription = Pool().get('cocagne.basket.subscription')
    except KeyError:
        return []
    tiers = dict(Subscription.fields_get(['tier'])['tier']['selection'])
    return [{
            'id': s.id,
            'size': {'id': s.size.id, 'name': s.size.rec_name},
            'drop_point': {'id': s.drop_point.id, 'name': s.drop_point.name},
            'start_date': s.start_date.isoformat(),
            'end_date': s.end_date.isoformat() if s.end_date else None,
            'absences': [{
                    'start_date': a.start_date.isoformat(),
                    'end_date': a.end_date.isoformat(),
                    } for a in s.absences],
            'tier': s.tier,
            'tier_name': tiers.get(s.tier),
            'price': amount(s.price),
            'state': s.state,
            } for s in Subscription.search([
                ('company', '=', shop.company.id),
                ('member', '=', party.id),
                ('state', '!=', 'closed'),
                ])]
