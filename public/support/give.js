/* global document */
// The support page, enhanced: the Continue button names the amount and the period
// ("Give $5 a month"), and typing another amount selects "Other amount". Without this file
// the form works the same; the stylesheet already shows the period on the button.
const SYMBOLS = { USD: '$', EUR: '€', GBP: '£' };
const money = (minor) => (minor % 100 ? (minor / 100).toFixed(2) : String(minor / 100));

for (const form of document.querySelectorAll('form.give-form')) {
  const button = form.querySelector('.give-button');
  const other = form.querySelector('input[name="other_amount"]');
  const symbol = SYMBOLS[form.querySelector('input[name="currency"]')?.value] ?? '';
  const update = () => {
    const frequency = form.querySelector('input[name="frequency"]:checked')?.value;
    if (!frequency || !button) return;
    const picked = form.querySelector(`input[name="amount_${frequency}"]:checked`);
    let amount = '';
    if (picked && picked.value !== 'other') amount = symbol + money(Number(picked.value));
    else if (other && /^[0-9]+([.,][0-9]{1,2})?$/.test(other.value.trim())) amount = symbol + other.value.trim();
    button.textContent = amount
      ? frequency === 'once'
        ? `Give ${amount} once`
        : `Give ${amount} a ${frequency}`
      : 'Continue';
  };
  other?.addEventListener('input', () => {
    const frequency = form.querySelector('input[name="frequency"]:checked')?.value;
    const radio = frequency ? form.querySelector(`input[name="amount_${frequency}"][value="other"]`) : null;
    if (radio && other.value.trim() !== '') radio.checked = true;
  });
  form.addEventListener('change', update);
  form.addEventListener('input', update);
  update();
}
