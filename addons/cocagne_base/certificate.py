"""Organic certificates of the producers, their control bodies and their
daily follow-up."""
import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections import defaultdict

from sql import Literal

from trytond.i18n import gettext, ngettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import file_open
from trytond.transaction import Transaction

from . import organic
from .exceptions import CertificateError, CertifierError, OrganicCoverWarning

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


class Certifier(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'cocagne.organic.certifier'
    __string__ = "Organic Control Body"
    code = fields.Char(
        "Code", required=True, strip=True,
        help="The code of the control body approved in France, "
        "as FR-BIO-01.")
    name = fields.Char("Name", required=True, strip=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'cocagne_base.msg_certifier_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return f'{self.code} {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, certifiers, field_names):
        super().validate_fields(certifiers, field_names)
        if 'code' in field_names:
            for certifier in certifiers:
                if not organic.valid_certifier_code(certifier.code):
                    raise CertifierError(gettext(
                            'cocagne_base.msg_certifier_invalid_code',
                            code=certifier.code))

    @classmethod
    def approved(cls):
        """Return {code: (XML id, name)} of the approved control bodies
        that the module loads as data."""
        with file_open('cocagne_base/certifier.xml', 'rb') as fp:
            root = ET.parse(fp).getroot()
        result = {}
        for record in root.iter('record'):
            values = {f.get('name'): f.text for f in record.iter('field')}
            result[values['code']] = (record.get('id'), values['name'])
        return result


class Certificate(ModelSQL, ModelView):
    __name__ = 'cocagne.organic.certificate'
    __string__ = "Organic Certificate"
    _rec_name = 'number'
    company = fields.Many2One('company.company', "Garden", required=True)
    producer = fields.Many2One(
        'party.party', "Producer", required=True, ondelete='CASCADE',
        domain=[
            ('producer', '=', True),
            ],
        context={
            'company': Eval('company', -1),
            })
    certifier = fields.Many2One(
        'cocagne.organic.certifier', "Control Body", required=True,
        ondelete='RESTRICT',
        help="The approved control body that issued the certificate.")
    number = fields.Char("Number", required=True, strip=True)
    scope = fields.MultiSelection(SCOPES, "Scope",
        help="The activities that the certificate covers.")
    valid_from = fields.Date("Valid From", required=True)
    valid_to = fields.Date("Valid To", required=True)
    state = fields.Function(
        fields.Selection(STATES, "State",
            states={
                # computed from the saved dates only
                'invisible': Eval('id', -1) < 0,
                }),
        'get_state', searcher='search_state')
    reported_state = fields.Selection(
        [(None, "")] + STATES, "Reported State", readonly=True,
        help="The state for which the garden was last warned.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('valid_to', 'DESC'), ('id', 'DESC')]
        # the daily check searches on the validity dates
        cls._sql_indexes.update({
                Index(t,
                    (t.valid_to, Index.Range()),
                    (t.valid_from, Index.Range())),
                })

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        Certifier = pool.get('cocagne.organic.certifier')
        ModelData = pool.get('ir.model.data')
        cursor = Transaction().connection.cursor()
        table_h = cls.__table_handler__(module)
        migrate = (table_h.column_exist('certifier')
            and table_h.column_is_type('certifier', 'VARCHAR'))
        if migrate:
            table_h.column_rename('certifier', 'certifier_code')

        super().__register__(module)

        # Migration from 8.0.0: certifier as the control body's code
        if migrate:
            table = cls.__table__()
            certifier = Certifier.__table__()
            model_data = ModelData.__table__()
            cursor.execute(*table.select(table.certifier_code,
                    where=table.certifier_code != None,  # noqa: E711
                    group_by=[table.certifier_code]))
            approved = Certifier.approved()
            for code, in cursor.fetchall():
                fs_id, name = approved.get(code, (None, code))
                cursor.execute(*certifier.insert(
                        [certifier.code, certifier.name, certifier.active],
                        [[code, name, Literal(True)]]))
                cursor.execute(*certifier.select(
                        certifier.id, where=certifier.code == code))
                certifier_id, = cursor.fetchone()
                if fs_id:
                    # the record that the data file would otherwise create
                    cursor.execute(*model_data.insert(
                            [model_data.fs_id, model_data.module,
                                model_data.model, model_data.db_id,
                                model_data.noupdate],
                            [[fs_id, module, Certifier.__name__,
                                    certifier_id, Literal(True)]]))
                cursor.execute(*table.update(
                        [table.certifier], [certifier_id],
                        where=table.certifier_code == code))
            table_h.not_null_action('certifier', 'add')
            table_h.drop_column('certifier_code')

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
        Configuration = Pool().get('cocagne.configuration')
        today = Pool().get('ir.date').today()
        return organic.certificate_state(self.valid_from, self.valid_to, today,
            Configuration.garden_value(
                'certificate_expiring_days', self.company))

    @classmethod
    def search_state(cls, name, clause):
        pool = Pool()
        Company = pool.get('company.company')
        Configuration = pool.get('cocagne.configuration')
        today = pool.get('ir.date').today()
        # the gardens grouped by their number of expiring days
        gardens = defaultdict(list)
        for company in Company.search([]):
            gardens[Configuration.garden_value(
                    'certificate_expiring_days', company)].append(company.id)

        def expiring(operator):
            return ['OR'] + [[
                    ('company', 'in', ids),
                    ('valid_to', operator, today + dt.timedelta(days=days))]
                for days, ids in gardens.items()]
        domains = {
            'future': [('valid_from', '>', today)],
            'valid': [
                ('valid_from', '<=', today), expiring('>')],
            'expiring': [
                ('valid_from', '<=', today),
                ('valid_to', '>=', today), expiring('<=')],
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
        if field_names & {'valid_from', 'valid_to'}:
            lang = Pool().get('ir.lang').get()
            for certificate in certificates:
                if certificate.valid_to < certificate.valid_from:
                    raise CertificateError(gettext(
                            'cocagne_base.msg_certificate_dates',
                            certificate=certificate.rec_name,
                            valid_from=lang.strftime(certificate.valid_from),
                            valid_to=lang.strftime(certificate.valid_to)))
        if field_names & {'company', 'producer'}:
            for certificate in certificates:
                if certificate.producer.company != certificate.company:
                    raise CertificateError(gettext(
                            'cocagne_base.msg_certificate_other_garden',
                            certificate=certificate.rec_name,
                            producer=certificate.producer.rec_name))

    @classmethod
    def write(cls, *args):
        pool = Pool()
        Template = pool.get('product.template')
        Warning = pool.get('res.user.warning')
        Lang = pool.get('ir.lang')
        actions = iter(args)
        periods = {}
        for certificates, values in zip(actions, actions):
            if values.keys() & {'valid_from', 'valid_to'}:
                for certificate in certificates:
                    periods[certificate.id] = (
                        values.get('valid_from', certificate.valid_from),
                        values.get('valid_to', certificate.valid_to))
        uncovered = cls.products_uncovered(periods)
        if uncovered:
            key = Warning.format('organic_cover', uncovered)
            if Warning.check(key):
                raise OrganicCoverWarning(key, ngettext(
                        'cocagne_base.msg_certificate_products_uncovered',
                        len(uncovered),
                        products=', '.join(t.rec_name for t in uncovered),
                        date=Lang.get().strftime(
                            pool.get('ir.date').today())))
        super().write(*args)
        if uncovered:
            Template.write(uncovered, {'organic': False})

    @classmethod
    def products_uncovered(cls, periods):
        """Return the organic products of partner farms that a certificate
        covers today but no longer would with the new validity periods,
        given as {certificate id: (valid from, valid to)}."""
        pool = Pool()
        Template = pool.get('product.template')
        today = pool.get('ir.date').today()
        if not periods:
            return []
        producers = {c.producer for c in cls.browse(list(periods))}
        lost = {p for p in producers
            if p.organic_certified_on(today)
            and not organic.covers([
                    periods.get(c.id, (c.valid_from, c.valid_to))
                    for c in p.organic_certificates], today)}
        if not lost:
            return []
        return Template.search([
                ('organic', '=', True),
                ('origin', '=', 'partner'),
                ('producer', 'in', [p.id for p in lost]),
                ])

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
        days = pool.get('cocagne.configuration').garden_value(
            'certificate_expiring_days', company)
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
                        'label': ngettext(f'cocagne_base.{message}',
                            len(records), count=len(records), days=days,
                            company=company.rec_name),
                        'description': ', '.join(
                            r.rec_name for r in records)[:255],
                        'icon': 'tryton-warning',
                        'model': records[0].__name__,
                        'records': json.dumps([r.id for r in records]),
                        }
                    for message, records in reports if records)
        Notification.create(notifications)


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'
    certified_producer_count = fields.Function(
        fields.Integer("Certified Producers",
            help="The producers holding an organic certificate valid "
            "today."),
        'get_certified_producer_count')

    @classmethod
    def get_certified_producer_count(cls, companies, name):
        pool = Pool()
        certificate = pool.get('cocagne.organic.certificate').__table__()
        today = pool.get('ir.date').today()
        return cls.count_by_company(companies, certificate,
            (certificate.valid_from <= today)
            & (certificate.valid_to >= today),
            column=certificate.producer)
