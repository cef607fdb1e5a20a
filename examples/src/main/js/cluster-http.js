// The JavaScript original of `cluster-http --processes N [port] [rr|none]` (ClusterHttp.java's
// process mode): `node cluster-http.js N [port] [rr|none]`. The thread mode of ClusterHttp (one
// loop per thread on one port) has no Node counterpart.
const cluster = require('cluster');
const net = require('net');

if (cluster.isPrimary) {
  const n = Number(process.argv[2] || require('os').cpus().length);
  const port = Number(process.argv[3] || 8080);
  cluster.schedulingPolicy = process.argv[4] === 'none' ? cluster.SCHED_NONE : cluster.SCHED_RR;
  cluster.setupPrimary({ args: [String(port)] });
  cluster.on('online', (w) => console.log(`worker ${w.id} online (pid ${w.process.pid})`));
  cluster.on('listening', (w, address) =>
    console.log(`worker ${w.id} listening on http://127.0.0.1:${address.port}/`));
  cluster.on('exit', (w, code, signal) => {
    console.log(`worker ${w.id} (pid ${w.process.pid}) exited: code ${code}, signal ${signal}`);
    if (!w.exitedAfterDisconnect) {
      console.log('starting a replacement');
      cluster.fork(); // restart on crash
    }
  });
  console.log(`primary ${process.pid}: ${n} worker processes, ` +
      (cluster.schedulingPolicy === cluster.SCHED_RR ? 'round-robin (SCHED_RR)' : 'workers accept (SCHED_NONE)'));
  for (let i = 0; i < n; i++) {
    cluster.fork();
  }
} else {
  // A worker: HTTP on a net server that listens through the primary.
  const port = Number(process.argv[2]);
  const body = Buffer.from(`hello from worker ${cluster.worker.id} (pid ${process.pid})\n`, 'ascii');
  net.createServer((socket) => {
    let pending = '';
    socket.setEncoding('latin1');
    socket.on('data', (text) => {
      pending += text;
      let end;
      while ((end = pending.indexOf('\r\n\r\n')) >= 0) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        const close = head.toLowerCase().includes('\r\nconnection: close');
        const answer = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ' +
            body.length + '\r\n' + (close ? 'Connection: close\r\n' : 'Connection: keep-alive\r\n') + '\r\n'), body]);
        if (close) {
          socket.end(answer);
          return;
        }
        if (!socket.write(answer)) {
          socket.pause(); // the client is not reading: wait for it
          socket.once('drain', () => socket.resume());
        }
      }
    });
    socket.on('error', () => {}); // a client that resets: nothing to do
  }).listen(port, '127.0.0.1');
}
