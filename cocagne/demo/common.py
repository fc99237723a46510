"""Small helpers shared by the demo loaders (proteus only)."""
import datetime as dt

from dateutil.relativedelta import relativedelta
from proteus import Model
from proteus.config import get_config


def today():
    "The reference date of the demo: the day it is loaded."
    return dt.date.today()


def months(n):
    "Today shifted by n months (negative: in the past)."
    return today() + relativedelta(months=n)


def ref(module, fs_id):
    "The id of the record with XML id module.fs_id."
    ModelData = Model.get('ir.model.data')
    return ModelData.get_id(module, fs_id, get_config().context)


def activated(module):
    "Whether module is activated in the database."
    return bool(Model.get('ir.module').find([
                ('name', '=', module), ('state', '=', 'activated')]))


def ship(shipments):
    "Send the customer shipments, their stock taken as it is."
    Shipment = Model.get('stock.shipment.out')
    for button in ['assign_force', 'pick', 'pack', 'do']:
        Shipment.click(shipments, button)


def get_or_none(model, domain):
    "The first record of model matching domain, or None."
    records = Model.get(model).find(domain, limit=1)
    return records[0] if records else None


def company_context(company):
    "Context manager: proteus records created inside belong to company."
    return get_config().set_context(company=company.id)
