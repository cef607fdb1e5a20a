const fs = require('fs');
let round = 0;
function next() {
  fs.stat(__filename, () => {
    const r = ++round;
    let pending = 2;
    const both = () => { if (--pending === 0 && r < 5) next(); };
    setTimeout(() => { console.log('timeout ' + r); both(); }, 0);
    setImmediate(() => { console.log('immediate ' + r); both(); });
  });
}
next();
