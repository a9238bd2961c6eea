// SPDX-License-Identifier: GPL-2.0
/* MC146818 RTC time registers. */
#include <string.h>

#include "rtc.h"

#define REG_A_DV_32K		0x20	/* 32.768 kHz time base, UIP clear */
#define REG_A_RATE_1K		0x06
#define REG_B_24H		0x02	/* 24-hour mode, BCD data */
#define REG_D_VRT		0x80	/* valid RAM and time */
#define INDEX_MASK		0x7f	/* bit 7 of 0x70 is NMI disable */

void ohv_rtc_init(struct ohv_rtc *rtc, time_t (*now)(void))
{
	memset(rtc, 0, sizeof(*rtc));
	rtc->now = now;
	rtc->cmos[OHV_RTC_REG_A] = REG_A_DV_32K | REG_A_RATE_1K;
	rtc->cmos[OHV_RTC_REG_B] = REG_B_24H;
	rtc->cmos[OHV_RTC_REG_D] = REG_D_VRT;
}

static u8 bcd(unsigned int v)
{
	return (u8)(((v / 10) % 10) << 4 | (v % 10));
}

static int time_register(struct ohv_rtc *rtc, unsigned int idx, u8 *out)
{
	time_t t = rtc->now ? rtc->now() : 0;
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	switch (idx) {
	case OHV_RTC_SECONDS:
		*out = bcd(tm.tm_sec);
		break;
	case OHV_RTC_MINUTES:
		*out = bcd(tm.tm_min);
		break;
	case OHV_RTC_HOURS:
		*out = bcd(tm.tm_hour);
		break;
	case OHV_RTC_WEEKDAY:
		*out = bcd(tm.tm_wday + 1);
		break;
	case OHV_RTC_DAY:
		*out = bcd(tm.tm_mday);
		break;
	case OHV_RTC_MONTH:
		*out = bcd(tm.tm_mon + 1);
		break;
	case OHV_RTC_YEAR:
		*out = bcd(tm.tm_year % 100);
		break;
	case OHV_RTC_CENTURY:
		*out = bcd((tm.tm_year + 1900) / 100);
		break;
	default:
		return -1;
	}
	return 0;
}

u8 ohv_rtc_read(struct ohv_rtc *rtc, unsigned int offset)
{
	u8 v;

	if (offset == 0)
		return rtc->index;
	if (!time_register(rtc, rtc->index, &v))
		return v;
	if (rtc->index == OHV_RTC_REG_C)
		return 0;	/* no interrupt flags; reading clears them */
	return rtc->cmos[rtc->index];
}

void ohv_rtc_write(struct ohv_rtc *rtc, unsigned int offset, u8 value)
{
	u8 ignored;

	if (offset == 0) {
		rtc->index = value & INDEX_MASK;
		return;
	}
	/* The clock follows the host; status registers A, C, D are fixed. */
	if (!time_register(rtc, rtc->index, &ignored) ||
	    rtc->index == OHV_RTC_REG_A || rtc->index == OHV_RTC_REG_C ||
	    rtc->index == OHV_RTC_REG_D)
		return;
	/* Register B: keep 24-hour BCD mode whatever the guest asks. */
	if (rtc->index == OHV_RTC_REG_B)
		value = (value & ~0x06) | REG_B_24H;
	rtc->cmos[rtc->index] = value;
}

static u32 rtc_pio_read(void *opaque, u16 offset, unsigned int size)
{
	(void)size;
	return ohv_rtc_read(opaque, offset);
}

static void rtc_pio_write(void *opaque, u16 offset, unsigned int size,
			  u32 value)
{
	(void)size;
	ohv_rtc_write(opaque, offset, (u8)value);
}

void ohv_rtc_pio_init(struct ohv_pio_device *dev, struct ohv_rtc *rtc)
{
	memset(dev, 0, sizeof(*dev));
	dev->name = "rtc";
	dev->base = OHV_RTC_INDEX_PORT;
	dev->len = OHV_RTC_PORTS;
	dev->sizes = OHV_PIO_SIZE1;
	dev->read = rtc_pio_read;
	dev->write = rtc_pio_write;
	dev->opaque = rtc;
}
