/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit status of the ohv-vm worker. Scripts depend on these numbers; they
 * are also listed in `ohv-vm --help` and in README.md.
 */
#ifndef OHV_VM_EXIT_CODES_H
#define OHV_VM_EXIT_CODES_H

enum ohv_vm_exit_code {
	OHV_EXIT_POWEROFF	= 0,	/* ACPI S5, all VPs halted, test port 0 */
	OHV_EXIT_SETUP		= 1,	/* bad usage or the VM could not be set up */
	OHV_EXIT_REBOOT		= 2,	/* i8042 reset or ACPI reset register */
	OHV_EXIT_TRIPLE_FAULT	= 3,	/* a VP shut down (triple fault) */
	OHV_EXIT_INTERNAL	= 4,	/* hypervisor or worker internal error */
	OHV_EXIT_GUEST_FAILURE	= 5,	/* non-zero value written to the test port */
	OHV_EXIT_SIGNAL		= 6,	/* stopped by SIGINT/SIGTERM/SIGHUP */
};

#endif /* OHV_VM_EXIT_CODES_H */
