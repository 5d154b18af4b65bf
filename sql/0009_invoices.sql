-- SPDX-License-Identifier: MIT
-- Placeholder: migration 9 belongs to the invoices branch (sql/0009_invoices.sql).
-- It is here only so that this branch's migration 12 is numbered without a gap;
-- on merge, the invoices branch's file replaces this one.
SELECT 1;
