// The desk's only script (progressive: every page works without it): filters the contact list
// as the tracer types, and moves focus to an error message or a result after a form was sent.
'use strict';
document.documentElement.classList.add('has-js');
document.addEventListener('DOMContentLoaded', () => {
  for (const input of document.querySelectorAll('input[data-filter]')) {
    const list = document.getElementById(input.dataset.filter);
    if (!list) continue;
    input.addEventListener('input', () => {
      const q = input.value.trim().toLowerCase();
      for (const li of list.children) {
        li.hidden = q !== '' && !(li.dataset.text || '').toLowerCase().includes(q);
      }
    });
  }
  const first = document.querySelector('[role="alert"], .done h2[tabindex]');
  if (first) {
    if (!first.hasAttribute('tabindex')) first.setAttribute('tabindex', '-1');
    first.focus();
  }
});
