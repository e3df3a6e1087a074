/* ken import stackexchange: reading the dumps' times (what --before is compared with). */
#include "check.h"
#include "import/import_stackexchange.h"

int main(void)
{
    /* 2016-09-29T14:21:57.723 UTC is 1475158917 s and 723 ms after 1970. */
    CHECK(import_se_parse_time("2016-09-29T14:21:57.723") == 1475158917723LL);
    CHECK(import_se_parse_time("2016-09-29T14:21:57.723Z") == 1475158917723LL);
    CHECK(import_se_parse_time("2016-09-29T14:21:57") == 1475158917000LL);
    CHECK(import_se_parse_time("2016-09-29T14:21:57.7") == 1475158917700LL);
    CHECK(import_se_parse_time("2016-09-29T14:21") == 1475158860000LL);
    CHECK(import_se_parse_time("2016-09-29") == 1475107200000LL);
    CHECK(import_se_parse_time("1970-01-01") == 0);
    /* A millisecond apart stays apart: --before is strict. */
    CHECK(import_se_parse_time("2016-09-29T14:21:57.722") <
          import_se_parse_time("2016-09-29T14:21:57.723"));
    CHECK(import_se_parse_time("2016-02-29T00:00:00") - import_se_parse_time("2016-02-28") ==
          86400000LL);
    const char *bad[] = {"", "yesterday", "2016-9-29", "2016-13-01", "2016-09-29T25:00",
                         "2016-09-29T14:21:57.", "2016-09-29T14:21:57.723+02:00", "2016-09-29 x",
                         "20160929"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(import_se_parse_time(bad[i]) == -1);
    CHECK(import_se_parse_time(NULL) == -1);
    DONE();
}
