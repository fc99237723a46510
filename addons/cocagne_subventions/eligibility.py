# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The rules of public funding, as pure functions: what may be charged to a
grant, how the financing plan balances, what may be claimed before the
balance and when the reports are due."""
import calendar
import datetime as dt
from decimal import Decimal

# expense categories of the budget lines
PERSONNEL_CATEGORIES = {'personnel', 'insertion_wages', 'supervision'}
# the categories each kind of expense may be charged to (entries: any)
KIND_CATEGORIES = {
    'timesheet': PERSONNEL_CATEGORIES,
    'invoice': {'services', 'investment', 'travel', 'supplies', 'overheads'},
    }
# funder types that count as a national public match of EU funds
NATIONAL_PUBLIC = {'state', 'region', 'department', 'municipality'}
# days before a deadline when its managers are reminded
REMINDER_DAYS = (30, 7)
# months after the end of the financial year of the award within which the
# compte rendu financier (Cerfa 15059) is due (« dans les 6 mois suivant la
# clôture de l'exercice comptable ou à l'appui d'une nouvelle demande », as
# the funders' application files word it)
REPORT_MONTHS = 6


def in_period(date, start, end):
    "Whether date lies in [start, end]; an open bound accepts any date."
    if date is None:
        return False
    return (start is None or date >= start) and (end is None or date <= end)


def category_allowed(kind, category, allowed=None):
    """Whether an expense of kind ('invoice', 'timesheet', 'entry') may be
    charged to a budget line of category, the programme allowing the
    categories allowed (all if empty)."""
    if allowed and category not in allowed:
        return False
    return category in KIND_CATEGORIES.get(kind, {category})


def over_cap(planned, allocated, amount):
    """Whether adding amount to the allocated total of a budget line of
    planned amount exceeds it; return the excess (0 if none)."""
    excess = (allocated or 0) + (amount or 0) - (planned or 0)
    return max(excess, 0)


def over_allocated(shares):
    "Whether the shares (ratios) of one expense across all grants exceed 1."
    return sum(shares, Decimal(0)) > 1


def financing_gap(budget, amounts):
    "The budget total minus the financing plan (0 when balanced)."
    return (budget or 0) - sum(amounts, Decimal(0))


def eu_without_national_match(funder_types):
    """Whether the financing plan has EU funds and no national public
    funder to match them (EU funds never come alone)."""
    types = set(funder_types)
    return 'eu' in types and not (types & NATIONAL_PUBLIC)


def claimable_before_balance(awarded, share):
    "The most that may be claimed before the balance: awarded × share."
    if awarded is None:
        return Decimal(0)
    if share is None:
        return awarded
    return (awarded * share).quantize(Decimal('0.01'))


def claim_excess(awarded, share, claimed):
    """The amount by which the claims before the balance (claimed) exceed
    what the programme allows (0 if none)."""
    return max(
        sum(claimed, Decimal(0)) - claimable_before_balance(awarded, share),
        0)


def add_months(date, months):
    "date + months, on the last day of the month when it is shorter."
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return date.replace(year=year, month=month, day=day)


def financial_year_end(date, periods=()):
    """The end of the financial year holding date: the end of one of the
    (start, end) periods given (the garden's fiscal years), else
    December 31st."""
    for start, end in periods:
        if start <= date <= end:
            return end
    return dt.date(date.year, 12, 31)


def report_deadline(award_date, periods=()):
    """The date the compte rendu financier (Cerfa 15059) of a grant
    awarded on award_date is due: 6 months after the end of the financial
    year of the award."""
    end = financial_year_end(award_date, periods)
    return add_months(end + dt.timedelta(days=1), REPORT_MONTHS) \
        - dt.timedelta(days=1)


def reminder_due(deadline, today, reminded=None, days=REMINDER_DAYS):
    """The reminder (a number of days from days) to send today for a
    deadline, None if there is none; reminded is the last one sent. Each
    threshold is sent once, only the nearest when several are due."""
    left = (deadline - today).days
    if left < 0:
        return None
    due = [d for d in days if left <= d]
    if not due:
        return None
    nearest = min(due)
    if reminded is not None and reminded <= nearest:
        return None
    return nearest


def gap_ratio(planned, actual):
    "The gap between actual and planned, as a ratio of planned (None: 0)."
    if not planned:
        return None
    return (Decimal(actual or 0) - Decimal(planned)) / Decimal(planned)
