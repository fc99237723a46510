// Cocagne Bio storefront: the page works without this script; with it,
// "Ajouter au panier" stays on the page and updates the basket's count.
document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!form.matches('form[data-basket]') || !window.fetch) {
        return;
    }
    event.preventDefault();
    const data = new FormData(form);
    data.append('action', 'ajouter');
    const notice = document.querySelector('[data-basket-message]');
    try {
        const response = await fetch(form.action, {
            method: 'POST', body: data, credentials: 'same-origin',
            headers: {'Accept': 'application/json'}});
        const answer = await response.json();
        for (const count of document.querySelectorAll('[data-basket-count]')) {
            count.textContent = answer.count;
        }
        if (notice) {
            notice.textContent = answer.message;
            notice.classList.toggle('error', !answer.done);
            notice.hidden = false;
        }
    } catch (error) {
        form.submit();
    }
});
