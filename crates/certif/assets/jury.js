// The jury's desk: the casting vote appears only on a tie (the server asks for it again on a
// tie without it); "s" or "n" opens the next candidate, "p" the previous one.
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('vote');
  const casting = document.getElementById('casting');
  if (form && casting) {
    const count = (name) => Number(form.elements[name].value || 0);
    const update = () => {
      const tie = count('for') === count('against');
      casting.hidden = !tie;
      if (!tie) for (const choice of casting.querySelectorAll('input')) choice.checked = false;
    };
    form.addEventListener('input', update);
    update();
  }
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest('input, textarea, select, button, [contenteditable]')) return;
    const rel = event.key === 'n' || event.key === 's' ? 'next' : event.key === 'p' ? 'prev' : null;
    const link = rel && document.querySelector(`a[rel="${rel}"]`);
    if (link) {
      event.preventDefault();
      link.click();
    }
  });
});
