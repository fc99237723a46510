"""Garden settings of the processing units."""
from trytond.model import ModelSQL, fields
from trytond.modules.cocagne_base.configuration import default_func
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta

LABEL_FORMATS = [
    ('a4', "A4 sheet of 8 labels"),
    ('100x150', "Thermal label 100 × 150 mm"),
    ('100x70', "Thermal label 100 × 70 mm"),
    ]
# the page size and the number of labels per page of each format
LABEL_PAGES = {
    'a4': ('A4', 8),
    '100x150': ('100mm 150mm', 1),
    '100x70': ('100mm 70mm', 1),
    }

output_weight_tolerance = fields.Float(
    "Output Weight Tolerance", digits=(4, 3), required=True,
    domain=[('output_weight_tolerance', '>=', 0)],
    help="The share of the input weight that the output of a batch may "
    "exceed (e.g. 0.02 for 2 %).")
label_format = fields.Selection(
    LABEL_FORMATS, "Label Format", required=True,
    help="How the labels of the lots are printed.")
FIELDS = ['output_weight_tolerance', 'label_format']


class Configuration(metaclass=PoolMeta):
    __name__ = 'cocagne.configuration'
    output_weight_tolerance = fields.MultiValue(output_weight_tolerance)
    label_format = fields.MultiValue(label_format)

    @classmethod
    def multivalue_model(cls, field):
        if field in FIELDS:
            return Pool().get('cocagne.configuration.transformation')
        return super().multivalue_model(field)

    default_output_weight_tolerance = default_func('output_weight_tolerance')
    default_label_format = default_func('label_format')


class ConfigurationTransformation(ModelSQL, CompanyValueMixin):
    __name__ = 'cocagne.configuration.transformation'
    __string__ = "Cocagne Processing Configuration"
    output_weight_tolerance = output_weight_tolerance
    label_format = label_format

    @classmethod
    def default_output_weight_tolerance(cls):
        return 0.02

    @classmethod
    def default_label_format(cls):
        return 'a4'
