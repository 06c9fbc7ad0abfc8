# Adds os/cpu-only lock entries for optional native packages of other platforms that this
# workplace's registry does not serve (npm then leaves them out of package-lock.json and `npm ci` refuses).
# Usage: npm ci --dry-run 2>&1 | sed -n "s/.*Missing: \(.*\)@ from lock file/\1/p" > m.txt; python3 scripts/stub-foreign-optional-deps.py package-lock.json m.txt
import json, re, sys
lock_path = sys.argv[1]
missing = [l.strip() for l in open(sys.argv[2]) if l.strip()]
lock = json.load(open(lock_path))
pk = lock['packages']
def spec_for(name):
    for path, p in pk.items():
        od = p.get('optionalDependencies', {})
        if name in od: return od[name]
    raise SystemExit('no parent for ' + name)
OS = {'darwin':'darwin','linux':'linux','win32':'win32','android':'android','freebsd':'freebsd','openharmony':'openharmony'}
CPU = ['arm64','x64','ia32','arm','ppc64','s390x','riscv64','loong64']
for name in missing:
    base = name.split('/')[-1]
    os_ = next(v for k,v in OS.items() if f'-{k}-' in base)
    cpu = next(c for c in CPU if re.search(rf'-{c}(-|$)', base.replace('gnueabihf','').replace('musleabihf','').replace('eabi','')))
    entry = {'version': spec_for(name).lstrip('^~='), 'cpu': [cpu], 'optional': True, 'os': [os_]}
    if base.endswith('-gnu') or 'gnueabihf' in base: entry['libc'] = ['glibc']
    if base.endswith('-musl') or 'musleabihf' in base: entry['libc'] = ['musl']
    pk['node_modules/' + name] = entry
lock['packages'] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(lock_path, 'w'), indent=2)
open(lock_path, 'a').write('\n')
print('stubbed', len(missing))
