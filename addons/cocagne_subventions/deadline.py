# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Deadlines of the grants and the reminders sent to their managers."""
import json

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import eligibility as rules

KINDS = [
    ('report', "Financial report (Cerfa 15059)"),
    ('interim_report', "Interim report"),
    ('claim', "Payment claim"),
    ('other', "Other"),
    ]


class Deadline(ModelSQL, ModelView):
    __name__ = 'cocagne.grant.deadline'
    __string__ = "Grant Deadline"
    grant = fields.Many2One(
        'cocagne.grant', "Grant", required=True, ondelete='CASCADE')
    kind = fields.Selection(KINDS, "Kind", required=True)
    kind_string = kind.translated('kind')
    description = fields.Char("Description")
    date = fields.Date("Date", required=True)
    done = fields.Boolean("Done")
    reminded = fields.Integer(
        "Reminded", readonly=True,
        states={
            'invisible': ~Eval('reminded'),
            },
        help="The days before the deadline of the last reminder sent.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('grant')
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_kind(cls):
        return 'claim'

    @classmethod
    def default_done(cls):
        return False

    def get_rec_name(self, name):
        return f'{self.grant.rec_name} - {self.description or self.kind_string}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('grant.rec_name',) + tuple(clause[1:])]

    @classmethod
    def copy(cls, deadlines, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('reminded', None)
        default.setdefault('done', False)
        return super().copy(deadlines, default=default)

    @classmethod
    def send_reminders(cls):
        """Notify the managers of the grants 30 and 7 days before each
        deadline, once per deadline and threshold (daily job)."""
        pool = Pool()
        Notification = pool.get('res.notification')
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        today = Date.today()
        deadlines = cls.search([
                ('done', '=', False),
                ('date', '>=', today),
                ('date', '<=', rules.add_months(today, 2)),
                ('grant.state', 'in',
                    ['awarded', 'in_progress', 'reporting']),
                ])
        notifications, reminded = [], []
        for deadline in deadlines:
            days = rules.reminder_due(deadline.date, today, deadline.reminded)
            if days is None:
                continue
            for user in deadline.grant.managers:
                language = user.language.code if user.language else None
                with Transaction().set_context(language=language):
                    lang = Lang.get()
                    notifications.append({
                            'user': user.id,
                            'label': gettext(
                                'cocagne_subventions.msg_deadline_reminder',
                                days=days, grant=deadline.grant.rec_name),
                            'description': gettext(
                                'cocagne_subventions'
                                '.msg_deadline_reminder_text',
                                deadline=deadline.kind_string,
                                date=lang.strftime(deadline.date))[:255],
                            'icon': 'tryton-warning',
                            'model': 'cocagne.grant',
                            'records': json.dumps([deadline.grant.id]),
                            })
            deadline.reminded = days
            reminded.append(deadline)
        Notification.create(notifications)
        cls.save(reminded)
