// SPDX-License-Identifier: GPL-2.0
/* CMOS RTC time registers. */
#include "kselftest_harness.h"

#include "rtc.h"

/* 2026-11-25 05:09:06 UTC, a Wednesday. */
static time_t fixed_now(void)
{
	return 1795583346;
}

static u8 reg(struct ohv_rtc *rtc, u8 idx)
{
	ohv_rtc_write(rtc, 0, idx);
	return ohv_rtc_read(rtc, 1);
}

TEST(rtc_reads_host_time_in_bcd)
{
	struct ohv_rtc rtc;

	ohv_rtc_init(&rtc, fixed_now);
	EXPECT_EQ(0x06, reg(&rtc, OHV_RTC_SECONDS));
	EXPECT_EQ(0x09, reg(&rtc, OHV_RTC_MINUTES));
	EXPECT_EQ(0x05, reg(&rtc, OHV_RTC_HOURS));
	EXPECT_EQ(0x25, reg(&rtc, OHV_RTC_DAY));
	EXPECT_EQ(0x11, reg(&rtc, OHV_RTC_MONTH));
	EXPECT_EQ(0x26, reg(&rtc, OHV_RTC_YEAR));
	EXPECT_EQ(0x20, reg(&rtc, OHV_RTC_CENTURY));
	EXPECT_EQ(0x04, reg(&rtc, OHV_RTC_WEEKDAY));
}

TEST(rtc_status_registers_say_valid_and_not_updating)
{
	struct ohv_rtc rtc;

	ohv_rtc_init(&rtc, fixed_now);
	EXPECT_EQ(0, reg(&rtc, OHV_RTC_REG_A) & 0x80);	/* UIP */
	EXPECT_EQ(0x02, reg(&rtc, OHV_RTC_REG_B) & 0x06);	/* 24h BCD */
	EXPECT_EQ(0x80, reg(&rtc, OHV_RTC_REG_D));
	ohv_rtc_write(&rtc, 0, OHV_RTC_REG_B);
	ohv_rtc_write(&rtc, 1, 0x04);	/* binary mode request is ignored */
	EXPECT_EQ(0x02, reg(&rtc, OHV_RTC_REG_B) & 0x06);
}

TEST(rtc_nmi_bit_and_cmos_ram)
{
	struct ohv_rtc rtc;

	ohv_rtc_init(&rtc, fixed_now);
	ohv_rtc_write(&rtc, 0, 0x80 | 0x40);
	ohv_rtc_write(&rtc, 1, 0x5a);
	EXPECT_EQ(0x5a, reg(&rtc, 0x40));
	ohv_rtc_write(&rtc, 0, OHV_RTC_SECONDS);
	ohv_rtc_write(&rtc, 1, 0x59);
	EXPECT_EQ(0x06, reg(&rtc, OHV_RTC_SECONDS));
}

TEST_HARNESS_MAIN
