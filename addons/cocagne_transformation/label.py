"""The label of a lot: every mandatory particular of Regulation (EU)
1169/2011 art. 9 and of the organic labelling, as an HTML report printed
to PDF."""
from genshi.core import Markup

from trytond.i18n import gettext
from trytond.modules.cocagne_base.product import operator_particulars
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

from . import processing
from .configuration import LABEL_PAGES
from .exceptions import LabelError
from .ingredients import claims_organic, format_percent
from .logo import organic_logo_svg


class LotLabel(Report):
    __name__ = 'cocagne.transformation.label'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Configuration = pool.get('cocagne.configuration')
        context = super().get_context(records, header, data)
        company_id = Transaction().context.get('company')
        label_format = Configuration.garden_value('label_format', company_id)
        size, per_page = LABEL_PAGES[label_format]
        context['page_size'] = size
        context['label_format'] = label_format
        context['labels'] = [cls.label(lot) for lot in records]
        return context

    @classmethod
    def batch(cls, lot):
        "The batch that made lot, or None."
        Move = Pool().get('stock.move')
        moves = Move.search([
                ('lot', '=', lot.id),
                ('production_output', '!=', None),
                ], order=[('id', 'DESC')], limit=1)
        return moves[0].production_output if moves else None

    @classmethod
    def label(cls, lot):
        "The particulars of the label of lot, a dictionary."
        pool = Pool()
        Certificate = pool.get('cocagne.organic.certificate')
        production = cls.batch(lot)
        recipe = production.bom if production else None
        if recipe and recipe.date_kind == 'ddm':
            kind, date = 'ddm', lot.expiration_date
        else:
            kind, date = 'dlc', lot.shelf_life_expiration_date
        date = date or lot.expiration_date or lot.shelf_life_expiration_date
        if not date:
            raise LabelError(gettext(
                    'cocagne_transformation.msg_label_no_date',
                    lot=lot.rec_name, product=lot.product.rec_name))
        company = production.company if production else None
        statement = recipe.statement() if recipe else None
        made_on = production.production_date if production else date
        certificates = []
        if company:
            certificates = Certificate.search([
                    ('producer', '=', company.party.id),
                    ('valid_from', '<=', made_on),
                    ('valid_to', '>=', made_on),
                    ], limit=1)
        organic = bool(statement and statement.organic_name_allowed
            and certificates)
        name = (recipe.sales_name if recipe and recipe.sales_name
            else lot.product.name)
        if claims_organic(name) and not organic:
            cls.refuse_organic_name(lot, name, recipe, statement, company,
                made_on)
        label = {
            'name': name,
            'ingredients': None,
            'ingredients_footnote': None,
            'net_quantity': None,
            'storage': None,
            'nutrition': None,
            'nutrition_exempt': None,
            'farming': None,
            'date': processing.date_wording(kind, date),
            'lot': f'{processing.LOT} {lot.number}',
            'operator': (operator_particulars(company.party)
                if company else None),
            'organic': organic,
            'certifier': (certificates[0].certifier.code
                if organic else ''),
            'logo': Markup(organic_logo_svg()) if organic else '',
            'nutrition_title': processing.NUTRITION_TITLE,
            }
        if recipe:
            label.update(recipe.food_particulars(statement, organic))
        return label

    @classmethod
    def refuse_organic_name(cls, lot, name, recipe, statement, company, date):
        "Refuse the label of a lot named organic where it may not be."
        share = statement.organic_share if statement else None
        if statement and statement.organic_name_allowed and company:
            reason = gettext(
                'cocagne_transformation.msg_label_garden_uncertified',
                garden=company.rec_name, date=date.strftime('%d/%m/%Y'))
        else:
            reason = gettext('cocagne_transformation.msg_label_organic_share',
                share=format_percent(share or 0))
        raise LabelError(gettext(
                'cocagne_transformation.msg_label_organic_name',
                lot=lot.rec_name, name=name, reason=reason,
                recipe=recipe.rec_name if recipe else lot.product.rec_name))
