// Print button of the slip and poster pages (no inline script: CSP).
const print = document.getElementById('print')
if (print) print.addEventListener('click', () => window.print())
