let n = 0;
function step() {
  console.log('step ' + n);
  if (++n < 6) setTimeout(step, 1);
}
setTimeout(step, 1);
