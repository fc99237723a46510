"""Checks and lot numbers of the harvests, free of any Tryton import."""

# the problems of a harvest, in the order they are checked
PROBLEMS = ['quantity', 'future', 'not_plot', 'plot_garden', 'site_garden']
PLOTS = 'plots'


def problem(quantity, date, today, plot_kind, plot_garden, site_garden,
        garden):
    """The first problem of a harvest, a key of PROBLEMS, or None.

    A harvest weighs or counts more than nothing, is not dated after today,
    comes from a site of kind production plots and, like the site that
    receives it, belongs to the harvest's garden. A value left out (None)
    is not checked, so the framework's required-field error speaks first.
    """
    if quantity is not None and quantity <= 0:
        return 'quantity'
    if date is not None and today is not None and date > today:
        return 'future'
    if plot_kind is not None or plot_garden is not None:
        if plot_kind != PLOTS:
            return 'not_plot'
        if plot_garden != garden:
            return 'plot_garden'
    if site_garden is not None and site_garden != garden:
        return 'site_garden'
    return None


def lot_number(date, harvest_id):
    """The number of the lot of a harvest when its product has no lot
    sequence: "REC-" and the harvest's day, then its id, as REC-260114-12."""
    return f'REC-{date:%y%m%d}-{harvest_id}'
