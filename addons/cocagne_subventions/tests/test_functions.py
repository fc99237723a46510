"""The rules of public funding, without a database."""
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.modules.cocagne_subventions import eligibility as rules


class EligibilityTestCase(unittest.TestCase):
    "Test the eligibility rules"

    def test_in_period(self):
        "A date is eligible inside the period, bounds included"
        start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
        self.assertTrue(rules.in_period(start, start, end))
        self.assertTrue(rules.in_period(end, start, end))
        self.assertFalse(rules.in_period(dt.date(2025, 12, 31), start, end))
        self.assertFalse(rules.in_period(dt.date(2027, 1, 1), start, end))
        self.assertTrue(rules.in_period(dt.date(2030, 1, 1), start, None))
        self.assertFalse(rules.in_period(None, start, end))

    def test_category_allowed(self):
        "Time sheets go to personnel lines, invoices to the others"
        self.assertTrue(rules.category_allowed('timesheet', 'insertion_wages'))
        self.assertFalse(rules.category_allowed('timesheet', 'investment'))
        self.assertTrue(rules.category_allowed('invoice', 'investment'))
        self.assertFalse(rules.category_allowed('invoice', 'personnel'))
        self.assertTrue(rules.category_allowed('entry', 'personnel'))
        self.assertFalse(rules.category_allowed(
                'invoice', 'investment', ['services', 'travel']))
        self.assertTrue(rules.category_allowed(
                'invoice', 'travel', ['services', 'travel']))

    def test_over_cap(self):
        "The excess over a line's planned amount"
        self.assertEqual(rules.over_cap(D(1000), D(600), D(400)), 0)
        self.assertEqual(rules.over_cap(D(1000), D(600), D('400.01')),
            D('0.01'))
        self.assertEqual(rules.over_cap(D(1000), None, D(1500)), D(500))

    def test_over_allocated(self):
        "One expense is never charged beyond 100 %"
        self.assertFalse(rules.over_allocated([D('0.6'), D('0.4')]))
        self.assertTrue(rules.over_allocated([D('0.6'), D('0.41')]))
        self.assertTrue(rules.over_allocated([D(1), D('0.01')]))
        self.assertFalse(rules.over_allocated([]))

    def test_financing(self):
        "The financing plan balances with the budget; EU funds need a match"
        self.assertEqual(rules.financing_gap(D(1000), [D(800), D(200)]), 0)
        self.assertEqual(rules.financing_gap(D(1000), [D(800)]), D(200))
        self.assertTrue(rules.eu_without_national_match(['eu']))
        self.assertTrue(rules.eu_without_national_match(['eu', 'foundation']))
        self.assertFalse(rules.eu_without_national_match(['eu', 'region']))
        self.assertFalse(rules.eu_without_national_match(['state']))

    def test_claims(self):
        "Claims before the balance stay within the programme's share"
        self.assertEqual(
            rules.claimable_before_balance(D(50000), D('0.8')), D('40000.00'))
        self.assertEqual(rules.claimable_before_balance(D(500), None), D(500))
        self.assertEqual(
            rules.claim_excess(D(50000), D('0.8'), [D(20000), D(20000)]), 0)
        self.assertEqual(
            rules.claim_excess(D(50000), D('0.8'), [D(20000), D(25000)]),
            D(5000))

    def test_add_months(self):
        "Adding months keeps the day or takes the month's last"
        self.assertEqual(rules.add_months(dt.date(2026, 1, 31), 1),
            dt.date(2026, 2, 28))
        self.assertEqual(rules.add_months(dt.date(2026, 11, 15), 3),
            dt.date(2027, 2, 15))

    def test_report_deadline(self):
        "The compte rendu financier is due 6 months after the year's end"
        self.assertEqual(rules.report_deadline(dt.date(2026, 3, 10)),
            dt.date(2027, 6, 30))
        # a financial year from July to June
        periods = [(dt.date(2025, 7, 1), dt.date(2026, 6, 30))]
        self.assertEqual(rules.report_deadline(dt.date(2026, 3, 10), periods),
            dt.date(2026, 12, 31))

    def test_reminder_due(self):
        "Reminders 30 and 7 days before, each sent once"
        deadline = dt.date(2026, 6, 30)
        day = dt.timedelta(days=1)
        self.assertIsNone(rules.reminder_due(deadline, deadline - 31 * day))
        self.assertEqual(rules.reminder_due(deadline, deadline - 30 * day), 30)
        self.assertIsNone(
            rules.reminder_due(deadline, deadline - 29 * day, reminded=30))
        self.assertEqual(
            rules.reminder_due(deadline, deadline - 7 * day, reminded=30), 7)
        self.assertIsNone(
            rules.reminder_due(deadline, deadline - 3 * day, reminded=7))
        # the cron missed the 30 days: only the 7 days one is sent
        self.assertEqual(rules.reminder_due(deadline, deadline - 5 * day), 7)
        self.assertIsNone(rules.reminder_due(deadline, deadline + day))

    def test_gap_ratio(self):
        "The gap between planned and actual"
        self.assertEqual(rules.gap_ratio(D(100), D(120)), D('0.2'))
        self.assertIsNone(rules.gap_ratio(0, D(10)))
