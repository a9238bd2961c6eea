// SPDX-License-Identifier: GPL-2.0
/*
 * Guest writes to CR0 and CR4, intercepted and emulated.
 *
 * The CPU (or an emulator of it) must raise #GP for an invalid CR0/CR4
 * value, but QEMU's SVM model lets some through (CR0.PG without PE) or
 * reports them as VMEXIT_INVALID (a reserved CR4 bit). So every write is
 * intercepted and checked here. Without decode assists (QEMU has none)
 * the exit does not say which register was written, so the instruction
 * is read from guest memory and decoded: MOV CRn, reg (0F 22 /r, with
 * REX and AMD's LOCK prefix for CR8) and CLTS (0F 06). Guest linear
 * addresses are translated with paging off or 4-level long-mode paging,
 * the only modes in which our guests write control registers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/highmem.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <asm/traps.h>

#include "../ohv.h"
#include "svm.h"

#define OHV_INSN_MAX		15
#define OHV_PTE_PRESENT		BIT_ULL(0)
#define OHV_PTE_LARGE		BIT_ULL(7)
#define OHV_PTE_ADDR		GENMASK_ULL(51, 12)
/* CR4 bits every guest may set: VME through OSXMMEXCPT. */
#define OHV_CR4_BASE		GENMASK_ULL(10, 0)
/* CR4 bits that follow CPUID leaf 7 as the guest sees it. */
#define OHV_CPUID7_EBX_FSGSBASE	BIT(0)
#define OHV_CPUID7_EBX_SMEP	BIT(7)
#define OHV_CPUID7_EBX_SMAP	BIT(20)
#define OHV_CPUID7_ECX_UMIP	BIT(2)

/* Reads guest physical memory; @len bytes within one page. */
static int ohv_svm_read_gpa(struct ohv_vp *vp, u64 gpa, void *buf, size_t len)
{
	const struct ohv_memslot *slot;
	u64 index;
	int i;

	for (i = 0; i < OHV_HYP_MAX_MEMSLOTS; i++) {
		slot = &vp->part->slots[i];
		if (!slot->pages || gpa < slot->gpa)
			continue;
		index = (gpa - slot->gpa) >> PAGE_SHIFT;
		if (index >= slot->npages)
			continue;
		memcpy_from_page(buf, slot->pages[index], offset_in_page(gpa),
				 len);
		return 0;
	}
	return -EFAULT;
}

/* Guest linear address to guest physical, for instruction fetches. */
static int ohv_svm_linear_to_gpa(struct ohv_vp *vp, u64 la, u64 *gpa)
{
	struct vmcb_save_area *v = &((struct ohv_svm_vp *)vp->arch)->vmcb->save;
	u64 table = v->cr3 & OHV_PTE_ADDR, pte, size;
	int level, shift;

	if (!(v->cr0 & X86_CR0_PG)) {
		*gpa = la;
		return 0;
	}
	if (!(v->efer & EFER_LMA))
		return -EOPNOTSUPP;
	for (level = 4; level >= 1; level--) {
		shift = PAGE_SHIFT + 9 * (level - 1);
		if (ohv_svm_read_gpa(vp, table + ((la >> shift) & 511) * 8,
				     &pte, sizeof(pte)))
			return -EFAULT;
		if (!(pte & OHV_PTE_PRESENT))
			return -EFAULT;
		if (level == 1 || ((level == 2 || level == 3) &&
				   (pte & OHV_PTE_LARGE))) {
			size = BIT_ULL(shift);
			*gpa = (pte & OHV_PTE_ADDR & ~(size - 1)) | (la & (size - 1));
			return 0;
		}
		table = pte & OHV_PTE_ADDR;
	}
	return -EFAULT;
}

/* Fetches up to OHV_INSN_MAX bytes at CS:RIP; returns how many. */
static int ohv_svm_fetch(struct ohv_vp *vp, u8 *buf)
{
	struct vmcb_save_area *v = &((struct ohv_svm_vp *)vp->arch)->vmcb->save;
	u64 la = v->cs.base + vp->rip, gpa;
	int got = 0, chunk;

	while (got < OHV_INSN_MAX) {
		chunk = min_t(int, OHV_INSN_MAX - got,
			      PAGE_SIZE - offset_in_page(la + got));
		if (ohv_svm_linear_to_gpa(vp, la + got, &gpa) ||
		    ohv_svm_read_gpa(vp, gpa, buf + got, chunk))
			break;
		got += chunk;
	}
	return got;
}

/* Decodes MOV CRn, reg or CLTS from @b; -EINVAL for anything else. */
int ohv_svm_decode_cr_write(const u8 *b, int n, bool long_mode,
			    struct ohv_svm_cr_insn *insn)
{
	bool lock = false;
	u8 rex = 0, modrm;
	int i;

	for (i = 0; i < n; i++) {
		switch (b[i]) {
		case 0xf0:
			lock = true;
			continue;
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64:
		case 0x65: case 0x66: case 0x67: case 0xf2: case 0xf3:
			continue;
		}
		break;
	}
	if (long_mode && i < n && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (i + 2 > n || b[i] != 0x0f)
		return -EINVAL;
	if (b[i + 1] == 0x06) {
		*insn = (struct ohv_svm_cr_insn){ .clts = true, .len = i + 2 };
		return 0;
	}
	if (b[i + 1] != 0x22 || i + 3 > n)
		return -EINVAL;
	modrm = b[i + 2];
	*insn = (struct ohv_svm_cr_insn){
		.cr = ((modrm >> 3) & 7) | ((rex & 4) || lock ? 8 : 0),
		.gpr = (modrm & 7) | (rex & 1 ? 8 : 0),
		.len = i + 3,
	};
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_svm_decode_cr_write);

/* The CR4 bits this guest may set, from the CPUID it is shown. */
static u64 ohv_svm_cr4_allowed(struct ohv_vp *vp)
{
	struct ohv_cpuid_ctx ctx = { .host = ohv_host_cpuid };
	struct ohv_cpuid_regs r;
	u64 ok = OHV_CR4_BASE;

	ohv_cpuid_compute(&ctx, 7, 0, &r);
	if (r.ebx & OHV_CPUID7_EBX_FSGSBASE)
		ok |= X86_CR4_FSGSBASE;
	if (r.ebx & OHV_CPUID7_EBX_SMEP)
		ok |= X86_CR4_SMEP;
	if (r.ebx & OHV_CPUID7_EBX_SMAP)
		ok |= X86_CR4_SMAP;
	if (r.ecx & OHV_CPUID7_ECX_UMIP)
		ok |= X86_CR4_UMIP;
	return ok;
}

static int ohv_svm_set_cr0(struct ohv_vp *vp, struct vmcb_save_area *v,
			   u64 val)
{
	bool long_mode = v->efer & EFER_LMA;

	val |= X86_CR0_ET;
	if (upper_32_bits(val))
		return -EINVAL;
	if ((val & X86_CR0_PG) && !(val & X86_CR0_PE))
		return -EINVAL;
	if ((val & X86_CR0_NW) && !(val & X86_CR0_CD))
		return -EINVAL;
	if ((val & X86_CR0_PG) && (v->efer & EFER_LME) &&
	    !(v->cr4 & X86_CR4_PAE))
		return -EINVAL;
	/* Paging cannot be turned off from 64-bit code. */
	if (long_mode && !(val & X86_CR0_PG) &&
	    (v->cs.attrib & OHV_HYP_SEG_L))
		return -EINVAL;
	v->cr0 = val;
	v->efer &= ~EFER_LMA;
	if ((v->efer & EFER_LME) && (val & X86_CR0_PG))
		v->efer |= EFER_LMA;
	return 0;
}

static int ohv_svm_set_cr4(struct ohv_vp *vp, struct vmcb_save_area *v,
			   u64 val)
{
	if (val & ~ohv_svm_cr4_allowed(vp))
		return -EINVAL;
	if ((v->efer & EFER_LMA) && !(val & X86_CR4_PAE))
		return -EINVAL;
	v->cr4 = val;
	return 0;
}

/*
 * Emulates the intercepted CR0/CR4 write at RIP. Returns 0 when done
 * (RIP moved on), -EINVAL for #GP, or -EIO when the instruction cannot
 * be fetched or is not one we know.
 */
int ohv_svm_emulate_cr_write(struct ohv_vp *vp, u32 exit_code)
{
	struct ohv_svm_vp *svp = vp->arch;
	struct vmcb_save_area *v = &svp->vmcb->save;
	bool long_mode = (v->efer & EFER_LMA) && (v->cs.attrib & OHV_HYP_SEG_L);
	struct ohv_svm_cr_insn insn;
	u8 bytes[OHV_INSN_MAX];
	u64 val;
	int n, ret;

	n = ohv_svm_fetch(vp, bytes);
	if (ohv_svm_decode_cr_write(bytes, n, long_mode, &insn))
		return -EIO;
	if (insn.clts) {
		if (exit_code != SVM_EXIT_WRITE_CR0)
			return -EIO;
		ret = ohv_svm_set_cr0(vp, v, v->cr0 & ~X86_CR0_TS);
	} else {
		val = vp->gpr[insn.gpr];
		if (!long_mode)
			val = lower_32_bits(val);
		if (insn.cr == 0 && exit_code == SVM_EXIT_WRITE_CR0)
			ret = ohv_svm_set_cr0(vp, v, val);
		else if (insn.cr == 4 && exit_code == SVM_EXIT_WRITE_CR4)
			ret = ohv_svm_set_cr4(vp, v, val);
		else
			return -EIO;
	}
	if (ret)
		return ret;
	vp->rip += insn.len;
	/* Paging-mode and global-page changes flush the TLB on hardware. */
	svp->last_cpu = -1;
	return 0;
}
