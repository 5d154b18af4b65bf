# SPDX-License-Identifier: MIT
# The Debian package, end to end (label package; needs root, dpkg-buildpackage,
# debhelper and lintian):
#   1. scripts/package builds it from a clean copy of the source tree
#      (dpkg-buildpackage -us -uc -b) and runs lintian: no error, and no warning
#      that debian/harreman.lintian-overrides does not accept;
#   2. dpkg -i on this machine: the files where they belong, the system user
#      harreman with its private /var/lib/harreman and /var/backups/harreman, the
#      units hardened as documented, accepted by systemd-analyze verify, and
#      rated at most 2.0 (of 10) by systemd-analyze security;
#   3. the INSTALLED /usr/bin/harreman, as the user harreman (runuser), on a fresh
#      database in a temporary directory: the first admin made as README.Debian
#      says, `serve` on 127.0.0.1 with a free port and no --web (the compiled-in
#      /usr/share/harreman/web): /healthz, the booking page and its script, the
#      admin's login; the installed harreman-backup writes a backup; SIGTERM, exit 0;
#   4. dpkg --purge: nothing of the package left, and the user removed when this
#      test made it.
# It refuses to run where harreman is installed already (it would replace and purge
# an operator's package). Usage: test_deb.py SOURCE_DIR
import grp
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from served import Server, check, fail, run  # noqa: E402

src = os.path.abspath(sys.argv[1])
PKG = "harreman"
ADMIN = ("nerea@example.eus", "package-test-admin-pw")
UNITS = ["/lib/systemd/system/harreman.service",
         "/lib/systemd/system/harreman-backup.service",
         "/lib/systemd/system/harreman-backup.timer"]


def installed():
    p = subprocess.run(["dpkg-query", "-W", "-f=${Status}", PKG], capture_output=True, text=True)
    return p.returncode == 0 and "installed" in p.stdout and "not-installed" not in p.stdout


def dpkg(args):
    """dpkg, waiting up to 3 minutes for another dpkg or apt to finish."""
    deadline = time.monotonic() + 180
    while True:
        print("+ dpkg " + " ".join(args), flush=True)
        p = subprocess.run(["dpkg"] + args, capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        if p.returncode == 0:
            return p.stdout
        if "lock" in p.stderr and time.monotonic() < deadline:
            time.sleep(3)
            continue
        print(p.stdout + p.stderr, flush=True)
        fail(f"dpkg {' '.join(args)} exited {p.returncode}")


def user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


if os.geteuid() != 0:
    fail("package/deb installs the package with dpkg -i: run the tests as root")
if installed() or os.path.exists("/usr/bin/harreman"):
    fail("harreman is installed on this machine already: this test would replace and "
         "purge it; remove it first (dpkg --purge harreman) or run the tests elsewhere")
user_before = user_exists("harreman")
dirs_before = {d: os.path.exists(d) for d in ("/var/lib/harreman", "/var/backups/harreman")}

tmp = tempfile.mkdtemp(prefix="harreman-deb-")
server = None
try:
    # 1. Build and lintian.
    out = os.path.join(tmp, "out")
    t0 = time.monotonic()
    run([os.path.join(src, "scripts", "package"), out], env={"HARREMAN_SKIP_DEPS": "1"},
        timeout=900)
    build_seconds = time.monotonic() - t0
    debs = [f for f in os.listdir(out) if f.endswith(".deb")]
    check(len(debs) == 1, f"one package built ({debs}) in {build_seconds:.0f} s")
    with open(os.path.join(out, "lintian.log")) as f:
        complaints = [line for line in f if re.match(r"[EW]: ", line)]
    check(not complaints, "lintian: no error, no warning that is not overridden"
          + ("".join("\n  " + c.rstrip() for c in complaints)))

    # 2. Installed.
    t1 = time.monotonic()
    dpkg(["-i", os.path.join(out, debs[0])])
    check(installed(), "dpkg -i installed harreman")
    version = run(["/usr/bin/harreman", "--version"])
    check(version.startswith("harreman "), f"/usr/bin/harreman runs ({version.strip()})")
    for path in ("/usr/sbin/harreman-backup", "/usr/share/harreman/web/index.html",
                 "/usr/share/harreman/web/js/booking.js", "/etc/default/harreman",
                 "/usr/share/doc/harreman/README.Debian", "/usr/share/man/man1/harreman.1.gz",
                 *UNITS):
        check(os.path.exists(path), f"{path} is installed")
    with open("/usr/share/doc/harreman/README.Debian") as f:
        check("sudo -u harreman harreman user add --role admin" in f.read(),
              "README.Debian gives the first-admin step")
    check(user_exists("harreman"), "the system user harreman exists")
    account = pwd.getpwnam("harreman")
    check(account.pw_uid < 1000 and account.pw_shell.endswith("nologin"),
          "harreman is a system user without a login shell")
    for d in ("/var/lib/harreman", "/var/backups/harreman"):
        st = os.stat(d)
        check(st.st_uid == account.pw_uid and st.st_mode & 0o777 == 0o700,
              f"{d} is harreman's, mode 0700")
    with open(UNITS[0]) as f:
        unit = f.read()
    for line in ("User=harreman", "StateDirectory=harreman", "ProtectSystem=strict",
                 "NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes",
                 "Environment=GLIBC_TUNABLES=glibc.malloc.tcache_count=0",
                 "--db /var/lib/harreman/harreman.db", "--web /usr/share/harreman/web"):
        check(line in unit, f"harreman.service has {line}")
    with open(UNITS[2]) as f:
        check("OnCalendar=" in f.read(), "harreman-backup.timer has OnCalendar=")
    for link in ("/etc/systemd/system/multi-user.target.wants/harreman.service",
                 "/etc/systemd/system/timers.target.wants/harreman-backup.timer"):
        check(os.path.islink(link), f"enabled without a running systemd: {link}")
    check(shutil.which("systemd-analyze") is not None,
          "systemd-analyze is there to check the units (scripts/deps test installs systemd)")
    verify = subprocess.run(["systemd-analyze", "verify", *UNITS], capture_output=True,
                            text=True, timeout=60)
    check(verify.returncode == 0 and not verify.stdout.strip()
          and not verify.stderr.strip(),
          "systemd-analyze verify accepts the units" + verify.stdout + verify.stderr)
    # Exposure 0.0 (locked down) to 10.0 (not at all); the threshold is in tenths.
    for unit in UNITS[:2]:
        sec = subprocess.run(["systemd-analyze", "security", "--offline=true",
                              "--threshold=20", "--no-pager", unit],
                             capture_output=True, text=True, timeout=60)
        level = re.search(r"Overall exposure level for \S+: ([0-9.]+)", sec.stdout)
        check(sec.returncode == 0 and level is not None,
              f"systemd-analyze security: {os.path.basename(unit)} exposure "
              f"{level.group(1) if level else '?'} (at most 2.0)")

    # 3. The installed program, as its user, on a fresh database.
    home = os.path.join(tmp, "state")
    os.mkdir(home, 0o700)
    os.chown(home, account.pw_uid, account.pw_gid)
    os.chmod(tmp, 0o755)  # harreman must reach home
    db = os.path.join(home, "harreman.db")
    # setpriv execs (no process in between: SIGTERM reaches the server itself).
    as_harreman = ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}",
                   "--init-groups", "--"]
    run(as_harreman + ["/usr/bin/harreman", "user", "add", "--role", "admin", "--email",
                       ADMIN[0], "--name", "Nerea Zubiri", "--db", db], stdin=ADMIN[1] + "\n")
    check(os.stat(db).st_uid == account.pw_uid, "the database belongs to harreman")
    server = Server(as_harreman + ["/usr/bin/harreman"], db)  # no --web: the compiled-in one
    status, _, body = server.request("GET", "/healthz")
    check(status == 200 and b'"ok"' in body, f"/healthz answers 200 ok ({status})")
    status, headers, body = server.request("GET", "/")
    with open("/usr/share/harreman/web/index.html", "rb") as f:
        page = f.read()
    check(status == 200 and headers.get("Content-Type", "").startswith("text/html")
          and body == page and b"booking.js" in body,
          f"the booking page is served from /usr/share/harreman/web ({status})")
    status, headers, body = server.request("GET", "/js/booking.js")
    check(status == 200 and "javascript" in headers.get("Content-Type", ""),
          f"its script is served ({status})")
    status, answer = server.login(*ADMIN)
    check(status == 200 and answer["user"]["role"] == "admin",
          f"the first admin logs in ({status})")
    backups = os.path.join(tmp, "backups")
    os.mkdir(backups, 0o700)
    os.chown(backups, account.pw_uid, account.pw_gid)
    run(as_harreman + ["/usr/sbin/harreman-backup"],
        env={"HARREMAN_DB": db, "HARREMAN_BACKUP_DIR": backups, "PATH": "/usr/bin:/bin"})
    written = [f for f in os.listdir(backups) if f.endswith("Z.db")]
    check(len(written) == 1, f"the installed harreman-backup wrote a backup ({written}) "
          "while the server runs")
    server.stop()
    server = None
    install_seconds = time.monotonic() - t1
    print(f"package built in {build_seconds:.0f} s; installed, served and checked in "
          f"{install_seconds:.0f} s", flush=True)
finally:
    if server is not None:
        server.kill()
    # 4. Gone again, whatever happened above.
    if installed():
        dpkg(["--purge", PKG])
    shutil.rmtree(tmp, ignore_errors=True)
    if not user_before and user_exists("harreman"):
        subprocess.run(["deluser", "--system", "--quiet", "harreman"], timeout=60,
                       capture_output=True)
        try:
            grp.getgrnam("harreman")
            subprocess.run(["delgroup", "--system", "--quiet", "harreman"], timeout=60,
                           capture_output=True)
        except KeyError:
            pass

check(not installed(), "dpkg --purge removed the package")
for path in ("/usr/bin/harreman", "/usr/sbin/harreman-backup", "/usr/share/harreman",
             "/etc/default/harreman", *UNITS):
    check(not os.path.exists(path), f"{path} is gone")
for d, existed in dirs_before.items():
    if not existed:
        check(not os.path.exists(d), f"{d} (empty) is gone")
check(user_before or not user_exists("harreman"), "the user the test made is gone")
left = []
for top in ("/etc/systemd/system", "/var/lib/systemd"):
    for where, subdirs, files in os.walk(top):
        left += [os.path.join(where, n) for n in files + subdirs if "harreman" in n]
check(not left, f"no unit links or systemd state left ({left})")
print("package test passed", flush=True)
