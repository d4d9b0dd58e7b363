# The seed-style loop as a first script would be written: every process's executable read whole
# and MD5'd, one by one, no dedupe, no cache (the CLI bench spawns it as a whole process).
import hashlib
import os

for entry in os.listdir('/proc'):
    if not entry.isdigit():
        continue
    try:
        exe = os.readlink(f'/proc/{entry}/exe')
    except OSError:
        continue
    try:
        with open(exe, 'rb') as f:
            hashlib.md5(f.read()).hexdigest()
    except OSError:
        pass
