/* Cocagne's additions to sao, Tryton's web client (served as custom.js).

   The footer of a summed column reads "selected rows\ntotal"; with no row
   selected the first line is a bare 0 above the total, which users take
   for a figure: show the total alone until rows are selected. */
(function() {
    'use strict';
    var update = Sao.View.Tree.prototype.update_with_selection;
    Sao.View.Tree.prototype.update_with_selection = function() {
        update.apply(this, arguments);
        if (this.selected_records.length) {
            return;
        }
        for (const [, widgets] of this.sum_widgets) {
            var lines = widgets[1].text().split('\n');
            if (lines.length == 2) {
                widgets[1].text(lines[1]);
            }
        }
    };
}());

/* Decimal numbers are typed in <input type=number>, which some browsers
   (Chromium outside a French system locale) fill by dropping a typed comma:
   "47,25" became 4725. Type the decimal point the input understands. */
document.addEventListener('keydown', function(event) {
    'use strict';
    var input = event.target;
    if ((event.key == ',') && input.matches &&
            input.matches('input[type=number]:not([step="1"])')) {
        event.preventDefault();
        document.execCommand('insertText', false, '.');
    }
}, true);
