// The mark grid, with the keyboard: Enter saves the row and moves to the same column of the next
// learner, Escape puts back the value the row was loaded with, and clearing a stored mark asks
// first (the question, in the page's language, is the form's data-confirm-clear).
document.addEventListener('DOMContentLoaded', () => {
  const grid = document.querySelector('table.grid');
  if (!grid) return;
  const isCell = (element) => element instanceof HTMLInputElement && element.name.startsWith('session');
  grid.addEventListener('keydown', (event) => {
    const input = event.target;
    if (!isCell(input)) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      input.value = input.defaultValue;
    } else if (event.key === 'Enter') {
      // The row's form is submitted (htmx swaps the row behind); the caret goes down at once.
      const next = input.closest('tr')?.nextElementSibling?.querySelector(`input[name="${input.name}"]`);
      if (next) setTimeout(() => { next.focus(); next.select(); }, 0);
    }
  });
  document.body.addEventListener('htmx:confirm', (event) => {
    const form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('mark-row')) return;
    const cleared = [...form.elements].some((e) => isCell(e) && e.defaultValue.trim() !== '' && e.value.trim() === '');
    if (!cleared) return;
    event.preventDefault();
    if (window.confirm(form.dataset.confirmClear)) {
      event.detail.issueRequest(true);
    } else {
      for (const cell of form.elements) if (isCell(cell)) cell.value = cell.defaultValue;
    }
  });
});
