-- SPDX-License-Identifier: MIT
-- Placeholder: migration 9 belongs to the invoices branch (sql/0009_invoices.sql).
-- It is here only so that this branch's migrations 10 and 11 are numbered without
-- a gap; on merge, the invoices branch's file replaces this one.
SELECT 1;
