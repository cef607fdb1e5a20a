// Port of test-timers-refresh.js (without its internal setUnrefTimeout case): refresh() moves a
// timer behind one created after it; refresh() returns the timer.
{
  let called = false;
  const timer = setTimeout(() => {
    called = true;
    console.log('unref timer');
  }, 1);
  timer.unref();
  setTimeout(() => console.log('after unref timer, called ' + called), 1);
  console.log('refresh returns the timer ' + (timer.refresh() === timer));
}
{
  let called = false;
  const timer = setTimeout(() => {
    called = true;
    console.log('regular timer');
  }, 1);
  setTimeout(() => console.log('after regular timer, called ' + called), 1);
  console.log('refresh returns the timer ' + (timer.refresh() === timer));
}
{
  let called = 0;
  const timer = setInterval(() => {
    called += 1;
    console.log('interval ' + called);
    if (called === 2) clearInterval(timer);
  }, 1);
  setTimeout(() => console.log('after interval, called ' + called), 1);
  console.log('refresh returns the timer ' + (timer.refresh() === timer));
}
