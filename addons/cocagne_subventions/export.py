# This file is part of Cocagne.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The funders' spreadsheets: the état récapitulatif des dépenses and the
table of the compte rendu financier (Cerfa 15059)."""
import io
import re
import tempfile
from collections import defaultdict
from decimal import Decimal

import xlsxwriter

from trytond import backend
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

from . import eligibility as rules

# rows fetched at once from the server-side cursor
FETCH_SIZE = 2000
# a gap beyond this ratio of the planned amount gets a comment
GAP_RATIO = Decimal('0.1')

# The rows of the table of the compte rendu financier, Cerfa n° 15059*02,
# the form that the subsidy application (Cerfa n° 12156) points to at
# https://www.formulaires.modernisation.gouv.fr/gf/cerfa_15059.do, whose
# budget tables share its rows: charges 60 to 68 (and the indirect charges
# allocated to the action), 86 « Emplois des contributions volontaires en
# nature », products 70 to 78 with 74 « Subventions d'exploitation » detailed
# per funder (« État : préciser le(s) ministère(s) », Région, Département,
# commune, fonds européens, aides privées…), and 87 « Contributions
# volontaires en nature ». The labels are the form's, in French as it is.
CHARGES = [
    ('60', "Achats"),
    ('61', "Services extérieurs"),
    ('62', "Autres services extérieurs"),
    ('63', "Impôts et taxes"),
    ('64', "Charges de personnel"),
    ('65', "Autres charges de gestion courante"),
    ('66', "Charges financières"),
    ('67', "Charges exceptionnelles"),
    ('68', "Dotation aux amortissements"),
    ('CI', "Charges indirectes affectées à l'action"),
    ]
CHARGES_IN_KIND = ('86', "Emplois des contributions volontaires en nature")
PRODUCTS = [
    ('70', "Vente de produits finis, de marchandises, "
        "prestations de services"),
    ('73', "Dotations et produits de tarification"),
    ('74', "Subventions d'exploitation"),
    ('75', "Autres produits de gestion courante"),
    ('76', "Produits financiers"),
    ('77', "Produits exceptionnels"),
    ('78', "Reprises sur amortissements et provisions"),
    ('RP', "Ressources propres affectées à l'action"),
    ]
PRODUCTS_IN_KIND = ('87', "Contributions volontaires en nature")
# the charge account of each budget line category
CATEGORY_ACCOUNTS = {
    'supplies': '60',
    'services': '61',
    'travel': '62',
    'personnel': '64',
    'insertion_wages': '64',
    'supervision': '64',
    'investment': '68',
    'overheads': 'CI',
    }


def server_cursor(name):
    """A cursor that fetches the rows by batches from the server, so a
    long export keeps little in memory."""
    connection = Transaction().connection
    if backend.name == 'postgresql':
        cursor = connection.cursor(name=name)
        cursor.itersize = FETCH_SIZE
        return cursor
    return connection.cursor()


def sheet_name(text, used):
    "A worksheet name from text, unique among used, as Excel accepts."
    name = re.sub(r'[\[\]:*?/\\]', ' ', text)[:28].strip() or '-'
    base, n = name, 1
    while name.lower() in used:
        n += 1
        name = f'{base[:25]}-{n}'
    used.add(name.lower())
    return name


class _Formats:
    "The cell formats of a workbook."

    def __init__(self, workbook):
        add = workbook.add_format
        self.title = add({'bold': True, 'font_size': 13})
        self.header = add({'bold': True, 'bg_color': '#DDEBD7',
                'text_wrap': True, 'valign': 'top', 'border': 1})
        self.date = add({'num_format': 'dd/mm/yyyy'})
        self.money = add({'num_format': '#,##0.00'})
        self.percent = add({'num_format': '0.0 %'})
        self.total = add({'bold': True, 'top': 1})
        self.total_money = add(
            {'bold': True, 'top': 1, 'num_format': '#,##0.00'})
        self.total_percent = add(
            {'bold': True, 'top': 1, 'num_format': '0.0 %'})


def expense_columns():
    "The headers of the état récapitulatif, in the user's language."
    return [gettext(f'cocagne_subventions.msg_expense_{n}') for n in [
            'supplier', 'reference', 'date', 'description', 'untaxed',
            'taxed', 'eligible', 'payment_date', 'payment_means',
            'budget_line']]


def expense_rows(grant_id):
    """The allocations of a grant in the état récapitulatif's order, read
    with a server-side cursor: (budget line id, supplier, reference, date,
    description, untaxed, taxed, eligible, payment date, means)."""
    pool = Pool()
    Allocation = pool.get('cocagne.grant.allocation')
    BudgetLine = pool.get('cocagne.grant.budget_line')
    Party = pool.get('party.party')
    allocation = Allocation.__table__()
    line = BudgetLine.__table__()
    party = Party.__table__()
    query = (allocation
        .join(line, condition=allocation.budget_line == line.id)
        .join(party, 'LEFT', condition=allocation.supplier == party.id)
        .select(
            line.id, party.name, allocation.reference, allocation.date,
            allocation.description, allocation.untaxed_amount,
            allocation.taxed_amount, allocation.amount,
            allocation.payment_date, allocation.payment_means,
            where=allocation.grant == grant_id,
            order_by=[line.category, line.id, allocation.date,
                allocation.id]))
    cursor = server_cursor('cocagne_grant_expenses')
    cursor.execute(*query)
    while rows := cursor.fetchmany(FETCH_SIZE):
        yield from rows
    cursor.close()


def write_expense_statement(workbook, worksheet, formats, grant, rows):
    """Write the état récapitulatif of grant from rows (as expense_rows
    gives them) into worksheet, with a total per budget line and a grand
    total; return the grand totals (untaxed, taxed, eligible)."""
    lines = {l.id: l.rec_name for l in grant.budget_lines}
    money = formats.money
    worksheet.set_column(0, 0, 28)
    worksheet.set_column(1, 1, 14)
    worksheet.set_column(2, 2, 11)
    worksheet.set_column(3, 3, 40)
    worksheet.set_column(4, 6, 14)
    worksheet.set_column(7, 7, 11)
    worksheet.set_column(8, 9, 24)
    worksheet.write(0, 0, gettext(
            'cocagne_subventions.msg_expense_title',
            grant=grant.rec_name), formats.title)
    worksheet.write(1, 0, ' - '.join(filter(None, [
                grant.company.rec_name, grant.funder.rec_name,
                grant.convention_number])))
    worksheet.write_row(3, 0, expense_columns(), formats.header)
    row = 4
    totals = [Decimal(0)] * 3
    current, subtotals, first = None, None, row

    def close_line():
        label = gettext('cocagne_subventions.msg_expense_line_total',
            line=lines.get(current, ''))
        worksheet.write(row, 0, label, formats.total)
        for col, value in zip(range(4, 7), subtotals):
            cell = xlsxwriter.utility.xl_rowcol_to_cell
            worksheet.write_formula(row, col,
                f'=SUM({cell(first, col)}:{cell(row - 1, col)})',
                formats.total_money, value)
    for (line_id, supplier, reference, date, description, untaxed, taxed,
            eligible, payment_date, means) in rows:
        if line_id != current:
            if current is not None:
                close_line()
                row += 2
            current, subtotals, first = line_id, [Decimal(0)] * 3, row
        amounts = (untaxed or 0, taxed or 0, eligible or 0)
        worksheet.write_string(row, 0, supplier or '')
        worksheet.write_string(row, 1, reference or '')
        if date:
            worksheet.write_datetime(row, 2, date, formats.date)
        worksheet.write_string(row, 3, description or '')
        worksheet.write_number(row, 4, amounts[0], money)
        worksheet.write_number(row, 5, amounts[1], money)
        worksheet.write_number(row, 6, amounts[2], money)
        if payment_date:
            worksheet.write_datetime(row, 7, payment_date, formats.date)
        worksheet.write_string(row, 8, means or '')
        worksheet.write_string(row, 9, lines.get(line_id, ''))
        for i, amount in enumerate(amounts):
            subtotals[i] += amount
            totals[i] += amount
        row += 1
    if current is not None:
        close_line()
        row += 2
    worksheet.write(row, 0, gettext('cocagne_subventions.msg_expense_total'),
        formats.total)
    for col, value in zip(range(4, 7), totals):
        worksheet.write_number(row, col, value, formats.total_money)
    return totals


class ExpenseStatement(Report):
    "The état récapitulatif des dépenses of grants, one sheet per grant."
    __name__ = 'cocagne.grant.expense_statement'

    @classmethod
    def _execute(cls, grants, header, data, action):
        # through a file: the rows never gather in memory, only the result
        with tempfile.TemporaryFile() as output:
            cls.write(grants, output)
            output.seek(0)
            return 'xlsx', output.read()

    @classmethod
    def write(cls, grants, output):
        "Write the workbook of grants into the file object output."
        workbook = xlsxwriter.Workbook(output, {
                'constant_memory': True,
                'default_date_format': 'dd/mm/yyyy',
                })
        formats = _Formats(workbook)
        used = set()
        for grant in grants:
            worksheet = workbook.add_worksheet(
                sheet_name(grant.rec_name, used))
            write_expense_statement(
                workbook, worksheet, formats, grant, expense_rows(grant.id))
        workbook.close()


def cerfa_rows(grant):
    """The rows (account, label, planned, actual, comment) of the Cerfa
    15059 table of grant: charges, their total, 86, then products, their
    total, 87; 74 is followed by one row per public or private funder."""
    planned = defaultdict(Decimal)
    actual = defaultdict(Decimal)
    comments = defaultdict(list)
    for line in grant.budget_lines:
        account = CATEGORY_ACCOUNTS[line.category]
        planned[account] += line.planned or 0
        actual[account] += line.allocated or 0
        if line.comment:
            comments[account].append(line.comment)
    charges = []
    for account, label in CHARGES:
        charges.append((account, label, planned[account], actual[account],
                comments[account]))
    total_planned = sum(planned.values(), Decimal(0))
    total_actual = sum(actual.values(), Decimal(0))

    funders = []
    for financing in grant.financings:
        if financing.funder_type == 'own':
            continue
        received = financing.received
        funders.append(('', f'{financing.funder.rec_name}',
                financing.amount, received, []))
    own_planned = sum((f.amount for f in grant.financings
            if f.funder_type == 'own'), Decimal(0))
    subsidies = (sum((f[2] for f in funders), Decimal(0)),
        sum((f[3] for f in funders), Decimal(0)))
    own_actual = max(total_actual - subsidies[1], Decimal(0))
    products = []
    for account, label in PRODUCTS:
        if account == '74':
            products.append((account, label, *subsidies, []))
            products.extend(funders)
        elif account == 'RP':
            products.append((account, label, own_planned, own_actual, []))
        else:
            products.append((account, label, Decimal(0), Decimal(0), []))
    return {
        'charges': charges,
        'charges_total': (total_planned, total_actual),
        'products': products,
        'products_total': (subsidies[0] + own_planned,
            subsidies[1] + own_actual),
        }


def gap_comment(planned, actual, comments):
    "The comment of a row: the managers', or a call to explain a big gap."
    if comments:
        return ' '.join(comments)
    ratio = rules.gap_ratio(planned, actual)
    if ratio is not None and abs(ratio) > GAP_RATIO:
        return gettext('cocagne_subventions.msg_cerfa_gap_comment',
            gap=f'{ratio * 100:+.0f}')
    return ''


class Cerfa15059(Report):
    "The table of the compte rendu financier (Cerfa 15059) of grants."
    __name__ = 'cocagne.grant.cerfa_15059'

    @classmethod
    def _execute(cls, grants, header, data, action):
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {'in_memory': True})
        formats = _Formats(workbook)
        used = set()
        for grant in grants:
            cls.write_grant(workbook.add_worksheet(
                    sheet_name(grant.rec_name, used)), formats, grant)
        workbook.close()
        return 'xlsx', output.getvalue()

    @classmethod
    def write_grant(cls, worksheet, formats, grant):
        table = cerfa_rows(grant)
        headers = [gettext(f'cocagne_subventions.msg_cerfa_{n}') for n in [
                'account', 'planned', 'actual', 'gap', 'gap_ratio',
                'comment']]
        worksheet.set_column(0, 0, 9)
        worksheet.set_column(1, 1, 50)
        worksheet.set_column(2, 5, 14)
        worksheet.set_column(6, 6, 50)
        worksheet.write(0, 0, gettext('cocagne_subventions.msg_cerfa_title',
                grant=grant.rec_name), formats.title)
        worksheet.write(1, 0, ' - '.join(filter(None, [
                        grant.company.rec_name, grant.funder.rec_name,
                        grant.convention_number])))
        row = 3

        def write(row, account, label, planned, actual, comments,
                total=False):
            money = formats.total_money if total else formats.money
            text = formats.total if total else None
            worksheet.write_string(row, 0, account, text)
            worksheet.write_string(row, 1, label, text)
            worksheet.write_number(row, 2, planned, money)
            worksheet.write_number(row, 3, actual, money)
            worksheet.write_number(row, 4, actual - planned, money)
            ratio = rules.gap_ratio(planned, actual)
            if ratio is not None:
                worksheet.write_number(row, 5, ratio,
                    formats.total_percent if total else formats.percent)
            worksheet.write_string(
                row, 6, gap_comment(planned, actual, comments), text)

        for side, total_label, in_kind in [
                ('charges', 'msg_cerfa_charges_total', CHARGES_IN_KIND),
                ('products', 'msg_cerfa_products_total', PRODUCTS_IN_KIND),
                ]:
            worksheet.write_row(row, 0, [headers[0],
                    gettext(f'cocagne_subventions.msg_cerfa_{side}'),
                    *headers[1:]], formats.header)
            row += 1
            for values in table[side]:
                write(row, *values)
                row += 1
            write(row, '', gettext(f'cocagne_subventions.{total_label}'),
                *table[f'{side}_total'], [], total=True)
            row += 1
            write(row, *in_kind, Decimal(0), Decimal(0), [])
            row += 2
