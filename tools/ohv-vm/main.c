// SPDX-License-Identifier: GPL-2.0
/*
 * ohv-vm: runs one VM on the ohv hypervisor (one worker process per VM,
 * like Hyper-V's vmwp.exe). This file only parses the command line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ohv/hyp.h>

#include "exit_codes.h"
#include "layout.h"
#include "vm.h"

#define DEFAULT_MEMORY		(512ULL << 20)
#define DEFAULT_CMDLINE		"console=ttyS0"
#define MIN_MEMORY		(16ULL << 20)

static const char usage_text[] =
"usage: ohv-vm --kernel BZIMAGE [--initrd FILE] [--append CMDLINE]\n"
"              [--memory SIZE] [--cpus N] [--stats]\n"
"       ohv-vm --raw FILE [--load ADDR] [--entry ADDR] [--raw-arg N]\n"
"              [--memory SIZE] [--cpus N] [--stats]\n"
"\n"
"Runs one VM on the ohv hypervisor (/dev/ohv-hyp, module ohv_hyp.ko).\n"
"The guest console (COM1 at 0x3f8) is connected to stdin/stdout.\n"
"\n"
"  --kernel FILE   x86_64 bzImage, started through the 64-bit boot protocol\n"
"  --initrd FILE   initramfs\n"
"  --append TEXT   kernel command line (default \"" DEFAULT_CMDLINE "\")\n"
"  --memory SIZE   guest RAM, with optional K/M/G suffix (default 512M)\n"
"  --cpus N        virtual processors (default 1)\n"
"  --raw FILE      flat binary started in 64-bit mode (identity-mapped 4 GiB)\n"
"  --load ADDR     load address of --raw (default 0x100000)\n"
"  --entry ADDR    entry point of --raw (default: the load address)\n"
"  --raw-arg N     value of RDI at entry of --raw (default 0)\n"
"  --stats         print run time and exit counters on stderr at the end\n"
"\n"
"Guest ports besides COM1: 0x60/0x64 i8042 (0xfe to 0x64 = reset),\n"
"0x70/0x71 RTC, 0x600-0x602 ACPI sleep/reset registers, 0xe9 debug console,\n"
"0x40-0x43 PIT stub (reads 0), 0xf4 test exit (value 0 = success).\n"
"\n"
"Exit status (a one-line reason is printed on stderr):\n"
"  0  guest powered off (ACPI S5, all VPs halted, or 0 written to port 0xf4)\n"
"  1  usage or setup error\n"
"  2  guest requested a reboot (i8042 or ACPI reset)\n"
"  3  triple fault (a VP shut down)\n"
"  4  internal error (hypervisor or worker)\n"
"  5  guest wrote a non-zero value to port 0xf4\n"
"  6  stopped by SIGINT, SIGTERM or SIGHUP\n";

enum {
	OPT_KERNEL = 'k', OPT_INITRD = 'i', OPT_APPEND = 'a', OPT_MEMORY = 'm',
	OPT_CPUS = 'c', OPT_HELP = 'h',
	OPT_RAW = 256, OPT_LOAD, OPT_ENTRY, OPT_RAW_ARG, OPT_STATS,
};

static const struct option options[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "raw", required_argument, NULL, OPT_RAW },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "raw-arg", required_argument, NULL, OPT_RAW_ARG },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "ohv-vm: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see ohv-vm --help)\n");
	return OHV_EXIT_SETUP;
}

static int parse_u64(const char *s, u64 *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return (errno || end == s || *end || *s == '-') ? -1 : 0;
}

/* "512M", "2G", "65536K", "1073741824". */
static int parse_size(const char *s, u64 *out)
{
	unsigned int shift = 0;
	char *end;
	u64 v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	}
	if (shift)
		end++;
	if (*end || v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

static int check_config(struct ohv_vm_config *cfg)
{
	if (!cfg->kernel == !cfg->raw)
		return usage_error("give exactly one of --kernel and --raw%s", "");
	if (cfg->raw && (cfg->initrd || cfg->append))
		return usage_error("--initrd and --append need --kernel%s", "");
	if (cfg->memory < MIN_MEMORY || (cfg->memory & 0xfff))
		return usage_error("--memory must be a multiple of 4 KiB and at least 16M%s", "");
	if (cfg->memory / 4096 > OHV_HYP_MAX_GUEST_PAGES - 1)
		return usage_error("--memory is above the hypervisor limit (64 GiB)%s", "");
	if (!cfg->cpus || cfg->cpus > OHV_HYP_MAX_VPS)
		return usage_error("--cpus must be 1 to 64%s", "");
	if (!cfg->append)
		cfg->append = DEFAULT_CMDLINE;
	return 0;
}

int main(int argc, char **argv)
{
	struct ohv_vm_config cfg = {
		.memory = DEFAULT_MEMORY,
		.cpus = 1,
		.raw_load = OHV_HIGH_RAM_START,
	};
	bool entry_set = false;
	u64 v;
	int opt;

	while ((opt = getopt_long(argc, argv, "k:i:a:m:c:h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_KERNEL:
			cfg.kernel = optarg;
			break;
		case OPT_INITRD:
			cfg.initrd = optarg;
			break;
		case OPT_APPEND:
			cfg.append = optarg;
			break;
		case OPT_RAW:
			cfg.raw = optarg;
			break;
		case OPT_STATS:
			cfg.stats = true;
			break;
		case OPT_MEMORY:
			if (parse_size(optarg, &cfg.memory))
				return usage_error("bad --memory '%s'", optarg);
			break;
		case OPT_CPUS:
			if (parse_u64(optarg, &v) || v > OHV_HYP_MAX_VPS)
				return usage_error("bad --cpus '%s'", optarg);
			cfg.cpus = (unsigned int)v;
			break;
		case OPT_LOAD:
			if (parse_u64(optarg, &cfg.raw_load))
				return usage_error("bad --load '%s'", optarg);
			break;
		case OPT_ENTRY:
			if (parse_u64(optarg, &cfg.raw_entry))
				return usage_error("bad --entry '%s'", optarg);
			entry_set = true;
			break;
		case OPT_RAW_ARG:
			if (parse_u64(optarg, &cfg.raw_arg))
				return usage_error("bad --raw-arg '%s'", optarg);
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			return 0;
		default:
			return usage_error("invalid option%s", "");
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!entry_set)
		cfg.raw_entry = cfg.raw_load;
	if (check_config(&cfg))
		return OHV_EXIT_SETUP;
	return ohv_vm_main(&cfg);
}
