// Timeout.refresh() on a timeout that already fired re-arms it (Node 20).
let n = 0;
const t = setTimeout(() => {
  n++;
  console.log('fired ' + n);
  if (n === 1) {
    setTimeout(() => {
      console.log('refreshing the fired timeout');
      t.refresh();
    }, 5);
  } else {
    setImmediate(() => console.log('hasRef ' + t.hasRef()));
  }
}, 1);
process.on('exit', () => console.log('exit'));
