from apps.cases.tests.attachment_matrix import ROWS as ATTACHMENT_ROWS
from apps.cases.tests.case_matrix import ROWS as CASE_ROWS
from apps.cases.tests.list_matrix import ROWS as LIST_ROWS

ROWS = [*CASE_ROWS, *ATTACHMENT_ROWS, *LIST_ROWS]
