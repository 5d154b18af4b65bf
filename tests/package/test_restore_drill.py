# SPDX-License-Identifier: MIT
# The restore drill of docs/operations.md ("Restore drill"), and the nightly backup
# script's retention (scripts/harreman-backup), with the binary of this build:
#   1. a new database: `harreman migrate`, `harreman user add` (an admin);
#   2. scripts/harreman-backup into a directory that already holds 20 fake dated
#      backups, unrelated files and leftovers of killed backups: the new backup and
#      the 13 newest fakes are kept (KEEP=14), the 7 oldest deleted with their -wal,
#      unrelated files kept, a day-old leftover deleted, a fresh one kept, the
#      calendar key copied;
#   3. a user added after the backup (it must not be in the restore);
#   4. `harreman restore` refuses an existing database, a stale -wal, a corrupt
#      backup and a file that is not a database, leaving nothing behind; then
#      restores the backup to a new path, with the copied key beside it;
#   5. `harreman serve` on the restored database, 127.0.0.1, a free port: /healthz
#      200, the admin logs in, the later user does not exist, a wrong password is
#      401, the key was not replaced; SIGTERM, exit 0.
# Usage: test_restore_drill.py HARREMAN WEB_DIR BACKUP_SCRIPT
import os
import shutil
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from served import Server, check, run  # noqa: E402

binary, web, backup_script = sys.argv[1:4]
ADMIN = ("nerea@example.eus", "restore-drill-admin-pw")
LATER = ("later@example.eus", "added-after-the-backup")

tmp = tempfile.mkdtemp(prefix="harreman-drill-")
try:
    live = os.path.join(tmp, "live")
    backups = os.path.join(tmp, "backups")
    restored_dir = os.path.join(tmp, "restored")
    for d in (live, backups, restored_dir):
        os.mkdir(d)
    db = os.path.join(live, "harreman.db")

    # 1. The database, its first admin, its calendar key.
    run([binary, "migrate", "--db", db])
    run([binary, "user", "add", "--role", "admin", "--email", ADMIN[0], "--name",
         "Nerea Zubiri", "--db", db], env={"HARREMAN_PASSWORD": ADMIN[1]})
    with open(db + ".secret", "wb") as f:
        f.write(os.urandom(32))
    os.chmod(db + ".secret", 0o600)

    # 2. The nightly script against a directory with history.
    fakes = [f"harreman-202001{day:02d}T020000Z.db" for day in range(1, 21)]
    for name in fakes:
        open(os.path.join(backups, name), "w").close()
    others = ["notes.txt", "harreman-2020.db", "harreman-20200101T020000Z.db.bak",
              "harreman-20200101T0200Z.db"]
    for name in others:
        open(os.path.join(backups, name), "w").close()
    open(os.path.join(backups, fakes[0] + "-wal"), "w").close()
    stale = os.path.join(backups, "harreman-20200101T020000Z.db.partial-4242")
    fresh = os.path.join(backups, "harreman-20200102T020000Z.db.partial-4243")
    open(stale, "w").close()
    open(fresh, "w").close()
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))

    env = {"HARREMAN_BIN": binary, "HARREMAN_DB": db, "HARREMAN_BACKUP_DIR": backups,
           "HARREMAN_BACKUP_KEEP": "14"}
    run(["sh", backup_script], env=env)
    names = set(os.listdir(backups))
    new = sorted(n for n in names if n.startswith("harreman-2") and n not in fakes
                 and n.endswith("Z.db") and n not in others)
    check(len(new) == 1, f"one new backup written ({new})")
    backup = os.path.join(backups, new[0])
    check(os.stat(backup).st_mode & 0o077 == 0, "the backup is readable by its owner only")
    check(all(n in names for n in fakes[7:]), "the 13 newest fake backups are kept")
    check(not any(n in names for n in fakes[:7]), "the 7 oldest fake backups are deleted")
    check(fakes[0] + "-wal" not in names, "a deleted backup's -wal goes with it")
    check(all(n in names for n in others), "files not named like a backup are kept")
    check(not os.path.exists(stale), "a killed backup's leftover older than a day is deleted")
    check(os.path.exists(fresh), "a recent leftover (a backup maybe running) is kept")
    with open(db + ".secret", "rb") as a, open(os.path.join(backups, "harreman.db.secret"),
                                               "rb") as b:
        check(a.read() == b.read(), "the calendar key is copied beside the backups")
    for bad_keep in ("0", "x", "-3"):
        run(["sh", backup_script], env=dict(env, HARREMAN_BACKUP_KEEP=bad_keep), expect=2)
    check(len(os.listdir(backups)) == len(names), "a bad KEEP writes and deletes nothing")

    # 3. A change after the backup.
    run([binary, "user", "add", "--role", "staff", "--email", LATER[0], "--name", "Later",
         "--db", db], env={"HARREMAN_PASSWORD": LATER[1]})

    # 4. The restore refuses what it must, leaving nothing behind.
    target = os.path.join(restored_dir, "harreman.db")
    run([binary, "restore", backup, "--db", db], expect=1)
    open(target + "-wal", "w").close()
    run([binary, "restore", backup, "--db", target], expect=1)
    os.unlink(target + "-wal")
    corrupt = os.path.join(tmp, "corrupt.db")
    shutil.copyfile(backup, corrupt)
    with open(corrupt, "r+b") as f:
        size = f.seek(0, 2)
        f.seek(size // 2)
        f.write(b"\xa5" * 4096)
    run([binary, "restore", corrupt, "--db", target], expect=1)
    run([binary, "restore", os.path.join(backups, "notes.txt"), "--db", target], expect=1)
    run([binary, "restore", os.path.join(tmp, "missing.db"), "--db", target], expect=1)
    check(os.listdir(restored_dir) == [], "refused restores leave nothing in the target directory")
    before = set(os.listdir(backups))
    out = run([binary, "restore", backup, "--db", target])
    check("restored" in out, "the restore succeeds on a new path")
    check(set(os.listdir(backups)) == before, "the restore writes nothing beside the backup")
    check(os.stat(target).st_mode & 0o077 == 0, "the restored database is its owner's only")
    shutil.copy2(os.path.join(backups, "harreman.db.secret"), target + ".secret")

    # 5. Served.
    server = Server(binary, target, web)
    try:
        status, _, body = server.request("GET", "/healthz")
        check(status == 200 and b'"ok"' in body, f"/healthz answers 200 ok ({status})")
        status, answer = server.login(*ADMIN)
        check(status == 200 and answer["user"]["role"] == "admin",
              f"the admin from the backup logs in ({status})")
        status, _ = server.login(ADMIN[0], "not-the-password-1")
        check(status == 401, f"a wrong password is refused ({status})")
        status, _ = server.login(*LATER)
        check(status == 401, f"a user added after the backup is not in it ({status})")
    finally:
        log = server.stop() if server.proc.poll() is None else "".join(server.log)
    check("created the secret key file" not in log, "the restored calendar key is used, not replaced")
    print("restore drill passed", flush=True)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
