"""Organic certificates of the producers and their daily follow-up."""
import datetime as dt
import json

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import organic

STATES = [
    ('future', "Not yet valid"),
    ('valid', "Valid"),
    ('expiring', "Expiring"),
    ('expired', "Expired"),
    ]
SCOPES = [
    ('crops', "Crop production"),
    ('livestock', "Livestock"),
    ('processing', "Processing"),
    ('trade', "Distribution"),
    ('import', "Import"),
    ]


class Certificate(ModelSQL, ModelView):
    __name__ = 'cocagne.organic.certificate'
    _rec_name = 'number'
    company = fields.Many2One('company.company', "Garden", required=True)
    producer = fields.Many2One(
        'party.party', "Producer", required=True, ondelete='CASCADE',
        domain=[
            ('producer', '=', True),
            ('company', '=', Eval('company', -1)),
            ],
        context={
            'company': Eval('company', -1),
            })
    certifier = fields.Char(
        "Control Body", required=True, strip=True,
        help="The code of the control body, as FR-BIO-01.")
    number = fields.Char("Number", required=True, strip=True)
    scope = fields.MultiSelection(SCOPES, "Scope",
        help="The activities that the certificate covers.")
    valid_from = fields.Date("Valid From", required=True)
    valid_to = fields.Date("Valid To", required=True)
    state = fields.Function(
        fields.Selection(STATES, "State"),
        'get_state', searcher='search_state')
    reported_state = fields.Selection(
        [(None, "")] + STATES, "Reported State", readonly=True,
        help="The state for which the garden was last warned.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('valid_to', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('producer', '_parent_producer.company')
    def on_change_producer(self):
        if self.producer and self.producer.company:
            self.company = self.producer.company

    def get_rec_name(self, name):
        return f'{self.number} ({self.producer.rec_name})'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('producer.rec_name', operator, operand, *extra),
            ]

    def get_state(self, name):
        today = Pool().get('ir.date').today()
        return organic.certificate_state(self.valid_from, self.valid_to, today)

    @classmethod
    def search_state(cls, name, clause):
        today = Pool().get('ir.date').today()
        soon = today + dt.timedelta(days=organic.EXPIRING_DAYS)
        domains = {
            'future': [('valid_from', '>', today)],
            'valid': [
                ('valid_from', '<=', today), ('valid_to', '>', soon)],
            'expiring': [
                ('valid_from', '<=', today),
                ('valid_to', '>=', today), ('valid_to', '<=', soon)],
            'expired': [('valid_to', '<', today)],
            }
        _, operator, value = clause
        values = set(value if operator in {'in', 'not in'} else [value])
        if operator in {'!=', 'not in'}:
            values = set(domains) - values
        return [['OR'] + [domains[v] for v in sorted(values & set(domains))]]

    @classmethod
    def validate_fields(cls, certificates, field_names):
        super().validate_fields(certificates, field_names)
        if field_names & {'certifier'}:
            for certificate in certificates:
                if not organic.valid_certifier_code(certificate.certifier):
                    raise ValidationError(gettext(
                            'cocagne_base.msg_certificate_invalid_certifier',
                            certificate=certificate.rec_name,
                            code=certificate.certifier))
        if field_names & {'valid_from', 'valid_to'}:
            lang = Pool().get('ir.lang').get()
            for certificate in certificates:
                if certificate.valid_to < certificate.valid_from:
                    raise ValidationError(gettext(
                            'cocagne_base.msg_certificate_dates',
                            certificate=certificate.rec_name,
                            valid_from=lang.strftime(certificate.valid_from),
                            valid_to=lang.strftime(certificate.valid_to)))
        if field_names & {'company', 'producer'}:
            for certificate in certificates:
                if certificate.producer.company != certificate.company:
                    raise ValidationError(gettext(
                            'cocagne_base.msg_certificate_other_garden',
                            certificate=certificate.rec_name,
                            producer=certificate.producer.rec_name))

    @classmethod
    def copy(cls, certificates, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('reported_state')
        return super().copy(certificates, default=default)

    @classmethod
    def report_lapses(cls):
        """Warn the garden administrators of the certificates that became
        expiring or expired since the last report, unless a renewal is
        already recorded, and of the organic products that lost their
        certification."""
        pool = Pool()
        Template = pool.get('product.template')
        company = Transaction().context.get('company')
        domain = [('state', 'in', ['expiring', 'expired'])]
        if company:
            domain.append(('company', '=', company))
        changed = [c for c in cls.search(domain)
            if c.reported_state != c.state]
        if not changed:
            return
        # a renewal already recorded keeps the producer valid
        certificates = [c for c in changed
            if c.producer.organic_state != 'valid']
        today = Pool().get('ir.date').today()
        producers = {c.producer for c in certificates if c.state == 'expired'}
        products = [t for t in Template.search([
                    ('organic', '=', True),
                    ('origin', '=', 'partner'),
                    ('producer', 'in', [p.id for p in producers]),
                    ])
            if not t.producer.organic_certified_on(today)]
        for company in {c.company for c in certificates}:
            cls._notify(company,
                [c for c in certificates if c.company == company],
                [p for p in products if p.company == company])
        for state in {'expiring', 'expired'}:
            cls.write(
                [c for c in changed if c.state == state],
                {'reported_state': state})

    @classmethod
    def _notify(cls, company, certificates, products):
        "Notify the administrators of company, each in their language."
        pool = Pool()
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        group = ModelData.get_id('cocagne_base', 'group_cocagne_admin')
        users = User.search([
                ('companies', '=', company.id),
                ('groups', '=', group),
                ])
        expiring = [c for c in certificates if c.state == 'expiring']
        expired = [c for c in certificates if c.state == 'expired']
        reports = [
            ('msg_notify_certificates_expiring', expiring),
            ('msg_notify_certificates_expired', expired),
            ('msg_notify_products_lapsed', products),
            ]
        notifications = []
        for user in users:
            language = user.language.code if user.language else None
            with Transaction().set_context(language=language):
                notifications.extend({
                        'user': user.id,
                        'label': gettext(f'cocagne_base.{message}',
                            count=len(records), company=company.rec_name),
                        'description': ', '.join(
                            r.rec_name for r in records)[:255],
                        'icon': 'tryton-warning',
                        'model': records[0].__name__,
                        'records': json.dumps([r.id for r in records]),
                        }
                    for message, records in reports if records)
        Notification.create(notifications)
