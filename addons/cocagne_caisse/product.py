"""The scale code of a product weighed at the counter: the five digits that
the scale prints in the EAN-13 of the weight or the price."""
import re

from trytond.i18n import gettext
from trytond.model.exceptions import ValidationError
from trytond.pool import PoolMeta

SCALE_CODE = re.compile(r'\d{5}')


class Identifier(metaclass=PoolMeta):
    __name__ = 'product.identifier'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.type.selection.append(('scale', "Scale Code"))

    @classmethod
    def validate_fields(cls, identifiers, field_names):
        super().validate_fields(identifiers, field_names)
        for identifier in identifiers:
            if (identifier.type == 'scale'
                    and not SCALE_CODE.fullmatch(identifier.code or '')):
                raise ValidationError(gettext(
                        'cocagne_caisse.msg_scale_code',
                        code=identifier.code,
                        product=identifier.product.rec_name))
