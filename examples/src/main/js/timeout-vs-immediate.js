// The JavaScript original of TimeoutVsImmediate.java: `node timeout-vs-immediate.js [rounds]`.
const fs = require('fs');
const os = require('os');

const rounds = Number(process.argv[2] || 10);
let immediateFirst = 0;
const order = [];
const report = () => {
  if (order.length === 2) {
    console.log(`main module: ${order[0]} then ${order[1]} (this order depends on timing)`);
  }
};
setTimeout(() => {
  order.push('timeout');
  report();
}, 0);
setImmediate(() => {
  order.push('immediate');
  report();
});

// One round: stat a file; in its callback, schedule both; when both ran, the next round.
let i = 0;
function round() {
  fs.stat(os.tmpdir(), (err, stat) => {
    const n = ++i;
    const seen = [];
    const finish = () => {
      if (seen.length < 2) {
        return;
      }
      console.log(`I/O callback, round ${n}: ${seen[0]} then ${seen[1]}`);
      if (seen[0] === 'immediate') {
        immediateFirst++;
      }
      if (n < rounds) {
        round();
      }
    };
    setTimeout(() => {
      seen.push('timeout');
      finish();
    }, 0);
    setImmediate(() => {
      seen.push('immediate');
      finish();
    });
  });
}
round();
process.on('exit', () =>
  console.log(`inside the I/O callback the immediate ran first in ${immediateFirst} of ${rounds} rounds`));
