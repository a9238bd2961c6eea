// SPDX-License-Identifier: GPL-2.0
/* i8042 reset detection and status register; ACPI PM register decoding. */
#include <string.h>

#include "kselftest_harness.h"

#include "acpi_pm.h"
#include "exit_codes.h"
#include "i8042.h"

struct stops {
	int calls;
	int code;
};

static void record_stop(void *ctx, int code, const char *reason)
{
	struct stops *s = ctx;

	(void)reason;
	s->calls++;
	s->code = code;
}

TEST(i8042_command_fe_requests_one_reboot)
{
	struct stops s = { 0 };
	struct ohv_i8042 kbc;

	ohv_i8042_init(&kbc, (struct ohv_stopper){ record_stop, &s });
	EXPECT_TRUE(ohv_i8042_write(&kbc, OHV_I8042_CMD_PORT, 0xfe));
	EXPECT_EQ(1, s.calls);
	EXPECT_EQ(OHV_EXIT_REBOOT, s.code);
	EXPECT_TRUE(ohv_i8042_write(&kbc, OHV_I8042_CMD_PORT, 0xfe));
	EXPECT_EQ(1, s.calls);
}

TEST(i8042_other_commands_do_not_reset)
{
	static const u8 cmds[] = { 0x20, 0x60, 0xa7, 0xad, 0xae, 0xaa, 0xf0 };
	struct stops s = { 0 };
	struct ohv_i8042 kbc;
	unsigned int i;

	ohv_i8042_init(&kbc, (struct ohv_stopper){ record_stop, &s });
	for (i = 0; i < sizeof(cmds); i++)
		EXPECT_FALSE(ohv_i8042_write(&kbc, OHV_I8042_CMD_PORT, cmds[i]));
	EXPECT_FALSE(ohv_i8042_write(&kbc, OHV_I8042_DATA_PORT, 0x00));
	EXPECT_EQ(0, s.calls);
}

TEST(i8042_output_port_write_with_bit0_clear_resets)
{
	struct stops s = { 0 };
	struct ohv_i8042 kbc;

	ohv_i8042_init(&kbc, (struct ohv_stopper){ record_stop, &s });
	ohv_i8042_write(&kbc, OHV_I8042_CMD_PORT, OHV_I8042_CMD_WRITE_OUTPUT);
	EXPECT_FALSE(ohv_i8042_write(&kbc, OHV_I8042_DATA_PORT, 0x03));
	ohv_i8042_write(&kbc, OHV_I8042_CMD_PORT, OHV_I8042_CMD_WRITE_OUTPUT);
	EXPECT_TRUE(ohv_i8042_write(&kbc, OHV_I8042_DATA_PORT, 0x02));
	EXPECT_EQ(1, s.calls);
}

TEST(i8042_status_never_shows_a_full_input_buffer)
{
	struct ohv_i8042 kbc;

	ohv_i8042_init(&kbc, (struct ohv_stopper){ NULL, NULL });
	/* Linux's kb_wait() spins while bit 1 (input buffer full) is set. */
	EXPECT_EQ(0, ohv_i8042_read(&kbc, OHV_I8042_CMD_PORT) & 0x03);
	ohv_i8042_write(&kbc, OHV_I8042_CMD_PORT, 0x20);
	EXPECT_TRUE(ohv_i8042_read(&kbc, OHV_I8042_CMD_PORT) & OHV_I8042_STATUS_CMD);
	EXPECT_EQ(0, ohv_i8042_read(&kbc, OHV_I8042_CMD_PORT) & 0x03);
	/* A reset without a stopper is still reported. */
	EXPECT_TRUE(ohv_i8042_write(&kbc, OHV_I8042_CMD_PORT, 0xfe));
}

TEST(acpi_pm_decodes_s5_and_reset)
{
	/* Linux writes (SLP_TYP << 2) | SLP_EN. */
	EXPECT_EQ(OHV_PM_POWEROFF,
		  ohv_acpi_pm_decode(OHV_PM_SLEEP_CONTROL,
				     OHV_PM_S5_TYPE << 2 | OHV_SLP_EN));
	EXPECT_EQ(OHV_PM_NONE,
		  ohv_acpi_pm_decode(OHV_PM_SLEEP_CONTROL, OHV_PM_S5_TYPE << 2));
	EXPECT_EQ(OHV_PM_UNSUPPORTED_SLEEP,
		  ohv_acpi_pm_decode(OHV_PM_SLEEP_CONTROL, 3 << 2 | OHV_SLP_EN));
	EXPECT_EQ(OHV_PM_RESET_REQUEST,
		  ohv_acpi_pm_decode(OHV_PM_RESET, OHV_PM_RESET_VALUE));
	EXPECT_EQ(OHV_PM_NONE, ohv_acpi_pm_decode(OHV_PM_RESET, 0x06));
	EXPECT_EQ(OHV_PM_NONE, ohv_acpi_pm_decode(OHV_PM_SLEEP_STATUS, 0xff));
}

TEST_HARNESS_MAIN
