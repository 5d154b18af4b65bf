-- SPDX-License-Identifier: MIT
-- Placeholder: migration 11 belongs to the families branch (sql/0011_referrals.sql).
-- It is here only so that this branch's migration 12 is numbered without a gap;
-- on merge, the families branch's file replaces this one.
SELECT 1;
