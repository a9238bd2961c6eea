/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The time registers of an MC146818 CMOS RTC (index port 0x70, data port
 * 0x71), so that Linux reads the wall clock at boot instead of waiting a
 * second for an update-in-progress bit that never clears. Time registers
 * read the host's UTC time in BCD, 24-hour mode; other indexes are plain
 * CMOS RAM. No alarm, no periodic interrupt.
 */
#ifndef OHV_VM_RTC_H
#define OHV_VM_RTC_H

#include "compat.h"
#include <time.h>

#include "devices.h"

#define OHV_RTC_INDEX_PORT	0x70
#define OHV_RTC_PORTS		2
#define OHV_RTC_CMOS_SIZE	128

#define OHV_RTC_SECONDS		0x00
#define OHV_RTC_MINUTES		0x02
#define OHV_RTC_HOURS		0x04
#define OHV_RTC_WEEKDAY		0x06
#define OHV_RTC_DAY		0x07
#define OHV_RTC_MONTH		0x08
#define OHV_RTC_YEAR		0x09
#define OHV_RTC_REG_A		0x0a
#define OHV_RTC_REG_B		0x0b
#define OHV_RTC_REG_C		0x0c
#define OHV_RTC_REG_D		0x0d
#define OHV_RTC_CENTURY		0x32

struct ohv_rtc {
	u8 index;				/* last index written to 0x70 */
	u8 cmos[OHV_RTC_CMOS_SIZE];	/* non-time registers */
	time_t (*now)(void);			/* clock source (tests fake it) */
};

void ohv_rtc_init(struct ohv_rtc *rtc, time_t (*now)(void));
u8 ohv_rtc_read(struct ohv_rtc *rtc, unsigned int offset);
void ohv_rtc_write(struct ohv_rtc *rtc, unsigned int offset, u8 value);
void ohv_rtc_pio_init(struct ohv_pio_device *dev, struct ohv_rtc *rtc);

#endif /* OHV_VM_RTC_H */
