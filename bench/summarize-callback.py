#!/usr/bin/env python3
"""Summarises a bench/run-callback.sh directory: per contender and case, the median of the
forks' scores (ns per callback; one fork per round) with min..max over the rounds and JMH's
99.9% error of the median fork; then the ratios of the medians (JNA / uv4j, uv4j / C)."""
import glob, json, os, re, statistics, sys

d = sys.argv[1]
scores = {}  # (jdk, contender, case) -> [(score, error)]
for f in sorted(glob.glob(os.path.join(d, '*.json'))):
    m = re.match(r'(new|old)-(ffm|jni|jna)-r\d+\.json', os.path.basename(f))
    if not m:
        continue
    for b in json.load(open(f)):
        name = b['benchmark'].rsplit('.', 1)[1]
        kind = 'Idle' if name.endswith('Idle') else 'Timers'
        case = kind + ('/' + b['params']['handles'] if 'params' in b else '')
        p = b['primaryMetric']
        scores.setdefault((m.group(1), m.group(2), case), []).append((p['score'], p['scoreError']))
for f in sorted(glob.glob(os.path.join(d, 'c-r*.txt'))):
    for line in open(f):
        m = re.match(r'(idle|timers) (\d+) RESULT ns_per_callback=([\d.]+)', line)
        if m:
            case = 'Idle/' + m.group(2) if m.group(1) == 'idle' else 'Timers'
            scores.setdefault(('c', 'c', case), []).append((float(m.group(3)), 0.0))

def med(key):
    v = scores.get(key)
    return statistics.median(s for s, _ in v) if v else None

def fmt(key):
    v = scores.get(key)
    if not v:
        return '-'
    s = sorted(v)
    mid = s[(len(s) - 1) // 2]
    return '%.1f [%.1f..%.1f] (n=%d, median fork +-%.1f)' % (statistics.median(x for x, _ in v), s[0][0], s[-1][0], len(v), mid[1])

cases = ['Idle/16', 'Idle/1', 'Timers']
print('ns per callback: median of the forks [min..max over forks] (n forks, JMH 99.9% error of the median fork)')
for case in cases:
    print('\n' + case)
    for key, label in [(('new', 'ffm', case), 'JDK new uv4j FFM'), (('new', 'jni', case), 'JDK new uv4j JNI'),
                       (('new', 'jna', case), 'JDK new JNA'), (('old', 'jni', case), 'JDK 17 uv4j JNI'),
                       (('old', 'jna', case), 'JDK 17 JNA'), (('c', 'c', case), 'C libuv peer')]:
        print('  %-18s %s' % (label, fmt(key)))
print('\nratios of medians')
print('| case | new: JNA/FFM | new: JNA/JNI | new: JNI/FFM | 17: JNA/JNI | bound JNA/C (new) | bound JNA/C (17) |')
for case in cases:
    def r(a, b):
        x, y = med(a), med(b)
        return '%.2f' % (x / y) if x and y else '-'
    print('| %s | %s | %s | %s | %s | %s | %s |' % (case,
        r(('new', 'jna', case), ('new', 'ffm', case)), r(('new', 'jna', case), ('new', 'jni', case)),
        r(('new', 'jni', case), ('new', 'ffm', case)), r(('old', 'jna', case), ('old', 'jni', case)),
        r(('new', 'jna', case), ('c', 'c', case)), r(('old', 'jna', case), ('c', 'c', case))))
