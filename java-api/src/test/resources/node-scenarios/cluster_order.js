// cluster with worker processes: the primary's events for one worker in order ('fork',
// 'online', 'listening' with its address, the worker's own message, then a connection to the
// shared port answered by the worker, 'disconnect' and 'exit' after worker.disconnect()), the
// worker's state at each, and the worker's view (isWorker, its id, the env given to fork, the
// port its server got through the primary). Node sends the worker's 'listening' after the
// server's own 'listening' listeners ran, so the worker's message comes first. The worker is
// this file again (NODE_UNIQUE_ID set); the Java twin forks the main class
// ClusterScenarioWorker. Workers print nothing (their output would interleave): they report in
// messages.
const cluster = require('cluster');
const net = require('net');
const log = (s) => console.log(s);

if (cluster.isWorker) {
  const server = net.createServer((s) => s.end('hello from worker ' + cluster.worker.id + '\n'));
  server.listen(0, '127.0.0.1', () => {
    process.send({ cmd: 'up', isWorker: cluster.isWorker, isPrimary: cluster.isPrimary,
      id: cluster.worker.id, x: process.env.UV4J_X, port: server.address().port });
  });
} else {
  log(`isPrimary ${cluster.isPrimary} isWorker ${cluster.isWorker} policy ${cluster.schedulingPolicy}`);
  const w = cluster.fork({ UV4J_X: 'y' });
  log(`forked id ${w.id} state ${w.state} workers ${Object.keys(cluster.workers)}`);
  let upPort = -1;
  cluster.on('fork', (w) => log(`fork ${w.id}`));
  cluster.on('online', (w) => log(`online ${w.id} state ${w.state}`));
  w.on('online', () => log('worker online'));
  cluster.on('message', (w, m, h) => {
    upPort = m.port;
    log(`message ${w.id} ${m.cmd} isWorker=${m.isWorker} isPrimary=${m.isPrimary} id=${m.id} x=${m.x} handle=${h}`);
  });
  cluster.on('listening', (w, a) => {
    log(`listening ${w.id} ${a.address} ${a.addressType} samePort ${a.port === upPort} state ${w.state}`);
    const c = net.connect(a.port, '127.0.0.1');
    let got = '';
    c.on('data', (d) => { got += d; });
    c.on('end', () => {
      log('client got ' + got.trim());
      w.disconnect();
    });
  });
  cluster.on('disconnect', (w) => log(`disconnect ${w.id} exitedAfterDisconnect ${w.exitedAfterDisconnect}`));
  cluster.on('exit', (w, code, signal) => log(`exit ${w.id} ${code} ${signal} dead ${w.isDead()} workers ${Object.keys(cluster.workers).length}`));
}
