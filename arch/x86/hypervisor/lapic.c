// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated local APIC, x2APIC mode only (MSRs 0x800-0x8ff).
 *
 * The guest never sees an xAPIC MMIO page: VPs start with EN|EXTD set in
 * the APIC base MSR and may not clear them. That keeps the whole APIC on
 * the MSR exit path, with no instruction decoding.
 *
 * Concurrency: IRR is set from other VPs, from user space and from the
 * timer (hardirq), so it is only changed with atomic bitops; everything
 * else belongs to the VP's own thread. The timer callback only reads the
 * LVT, and the thread cancels the timer before reprogramming it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/math64.h>
#include <linux/ratelimit.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>

#include "ohv.h"

#define OHV_APIC_VERSION	0x14
#define OHV_SVR_VALID		(APIC_VECTOR_MASK | APIC_SPIV_APIC_ENABLED)
#define OHV_LVT_VALID		(APIC_VECTOR_MASK | APIC_MODE_MASK | \
				 APIC_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER | \
				 APIC_LVT_MASKED)
#define OHV_LVTT_VALID		(APIC_VECTOR_MASK | APIC_LVT_MASKED | (3 << 17))
#define OHV_TDCR_VALID		(BIT(0) | BIT(1) | BIT(3))
#define OHV_ICR_DEST_LOGICAL	BIT(11)
#define OHV_ICR_SHORTHAND	(3 << 18)
#define OHV_ICR_LEVEL_ASSERT	BIT(14)
#define OHV_ICR_LEVEL_TRIGGER	BIT(15)
#define OHV_ESR_ILLEGAL_VECTOR	BIT(6)
#define OHV_X2APIC_BROADCAST	0xffffffffU

/* ---- pure helpers (unit tested) ------------------------------------------ */

enum ohv_lapic_timer_mode ohv_lapic_timer_mode(u32 lvt_timer)
{
	return (lvt_timer >> 17) & 3;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_lapic_timer_mode);

/* TDCR bits 3,1:0 encode 2^(n+1), with 0b111 meaning divide by 1. */
u32 ohv_lapic_divisor(u32 tdcr)
{
	u32 n = ((tdcr >> 1) & 4) | (tdcr & 3);

	return 1u << ((n + 1) & 7);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_lapic_divisor);

u64 ohv_lapic_count_to_ns(u32 count, u32 tdcr)
{
	/* One bus tick is one nanosecond (OHV_LAPIC_BUS_HZ). */
	return (u64)count * ohv_lapic_divisor(tdcr);
}
EXPORT_SYMBOL_IF_KUNIT(ohv_lapic_count_to_ns);

/* Processor priority: the higher of TPR and the in-service class. */
u32 ohv_lapic_ppr(u32 tpr, int isr_top)
{
	u32 isrv = isr_top < 0 ? 0 : isr_top;

	if ((tpr & 0xf0) >= (isrv & 0xf0))
		return tpr & 0xff;
	return isrv & 0xf0;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_lapic_ppr);

int ohv_lapic_top_vector(const unsigned long *bitmap)
{
	int bit = find_last_bit(bitmap, 256);

	return bit < 256 ? bit : -1;
}
EXPORT_SYMBOL_IF_KUNIT(ohv_lapic_top_vector);

/*
 * Does an IPI to @dest reach @apic_id? Physical: exact ID. Logical in
 * x2APIC is cluster mode: dest[31:16] is the cluster (ID >> 4) and
 * dest[15:0] a bitmap of the 16 members (bit ID & 15).
 */
bool ohv_lapic_ipi_matches(u32 apic_id, u32 dest, bool logical)
{
	if (dest == OHV_X2APIC_BROADCAST)
		return true;
	if (!logical)
		return apic_id == dest;
	return (dest >> 16) == (apic_id >> 4) && (dest & BIT(apic_id & 0xf));
}
EXPORT_SYMBOL_IF_KUNIT(ohv_lapic_ipi_matches);

/* ---- interrupt state ----------------------------------------------------- */

static u32 ohv_lapic_cur_ppr(struct ohv_lapic *apic)
{
	return ohv_lapic_ppr(apic->tpr, ohv_lapic_top_vector(apic->isr));
}

void ohv_lapic_set_irr(struct ohv_vp *vp, u8 vector)
{
	set_bit(vector, vp->lapic.irr);
	ohv_vp_kick(vp);
}

/* The vector the guest should take next, or -1. */
int ohv_lapic_pending_vector(struct ohv_lapic *apic)
{
	int vector = ohv_lapic_top_vector(apic->irr);

	if (vector < 0 || (vector & 0xf0) <= (ohv_lapic_cur_ppr(apic) & 0xf0))
		return -1;
	return vector;
}

/* @vector is being delivered: it moves from IRR to ISR. */
void ohv_lapic_accept(struct ohv_lapic *apic, int vector)
{
	clear_bit(vector, apic->irr);
	__set_bit(vector, apic->isr);
}

static void ohv_lapic_eoi(struct ohv_lapic *apic)
{
	int vector = ohv_lapic_top_vector(apic->isr);

	if (vector >= 0)
		__clear_bit(vector, apic->isr);
}

/* ---- timer ----------------------------------------------------------------- */

static struct ohv_vp *ohv_lapic_to_vp(struct ohv_lapic *apic)
{
	return container_of(apic, struct ohv_vp, lapic);
}

static void ohv_lapic_timer_fire(struct ohv_lapic *apic)
{
	u32 lvt = READ_ONCE(apic->lvt[OHV_LVT_TIMER]);

	if (!(lvt & APIC_LVT_MASKED))
		ohv_lapic_set_irr(ohv_lapic_to_vp(apic), lvt & APIC_VECTOR_MASK);
}

static enum hrtimer_restart ohv_lapic_timer_cb(struct hrtimer *t)
{
	struct ohv_lapic *apic = container_of(t, struct ohv_lapic, timer);
	u32 lvt = READ_ONCE(apic->lvt[OHV_LVT_TIMER]);

	ohv_lapic_timer_fire(apic);
	if (ohv_lapic_timer_mode(lvt) == OHV_TIMER_TSC_DEADLINE) {
		WRITE_ONCE(apic->tsc_deadline, 0);
		return HRTIMER_NORESTART;
	}
	if (ohv_lapic_timer_mode(lvt) != OHV_TIMER_PERIODIC)
		return HRTIMER_NORESTART;
	apic->expires = ktime_add_ns(apic->expires, apic->period_ns);
	hrtimer_set_expires(t, apic->expires);
	return HRTIMER_RESTART;
}

static void ohv_lapic_timer_stop(struct ohv_lapic *apic)
{
	hrtimer_cancel(&apic->timer);
	apic->tsc_deadline = 0;
}

static void ohv_lapic_timer_start_count(struct ohv_lapic *apic)
{
	u64 ns = ohv_lapic_count_to_ns(apic->tmict, apic->tdcr);

	ohv_lapic_timer_stop(apic);
	if (!apic->tmict)
		return;
	/* A guest must not be able to turn us into an interrupt storm. */
	if (ohv_lapic_timer_mode(apic->lvt[OHV_LVT_TIMER]) == OHV_TIMER_PERIODIC)
		ns = max_t(u64, ns, OHV_LAPIC_MIN_PERIOD_NS);
	apic->period_ns = ns;
	apic->expires = ktime_add_ns(ktime_get(), ns);
	hrtimer_start(&apic->timer, apic->expires, HRTIMER_MODE_ABS_HARD);
}

/* Current count: bus ticks left until the armed count expires. */
static u32 ohv_lapic_tmcct(struct ohv_lapic *apic)
{
	s64 left;

	if (ohv_lapic_timer_mode(apic->lvt[OHV_LVT_TIMER]) >= OHV_TIMER_TSC_DEADLINE ||
	    !hrtimer_active(&apic->timer))
		return 0;
	left = ktime_to_ns(ktime_sub(hrtimer_get_expires(&apic->timer),
				     ktime_get()));
	if (left <= 0)
		return 0;
	return div_u64(left, ohv_lapic_divisor(apic->tdcr));
}

int ohv_lapic_deadline_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	*val = READ_ONCE(vp->lapic.tsc_deadline);
	return 0;
}

/* Deadline in guest TSC units, which are host TSC units. */
int ohv_lapic_deadline_write(struct ohv_vp *vp, u32 msr, u64 val)
{
	struct ohv_lapic *apic = &vp->lapic;
	u64 now;

	/* Outside TSC-deadline mode the MSR is ignored, as in hardware. */
	if (ohv_lapic_timer_mode(apic->lvt[OHV_LVT_TIMER]) != OHV_TIMER_TSC_DEADLINE)
		return 0;
	ohv_lapic_timer_stop(apic);
	if (!val)
		return 0;
	now = rdtsc();
	if (val <= now) {
		ohv_lapic_timer_fire(apic);
		return 0;
	}
	apic->tsc_deadline = val;
	apic->expires = ktime_add_ns(ktime_get(),
				     mul_u64_u32_div(val - now, USEC_PER_SEC,
						     tsc_khz));
	hrtimer_start(&apic->timer, apic->expires, HRTIMER_MODE_ABS_HARD);
	return 0;
}

static void ohv_lapic_write_lvtt(struct ohv_lapic *apic, u32 val)
{
	enum ohv_lapic_timer_mode old = ohv_lapic_timer_mode(apic->lvt[OHV_LVT_TIMER]);

	if (old != ohv_lapic_timer_mode(val)) {
		ohv_lapic_timer_stop(apic);
		apic->tmict = 0;
	}
	WRITE_ONCE(apic->lvt[OHV_LVT_TIMER], val & OHV_LVTT_VALID);
}

/* ---- IPIs ----------------------------------------------------------------- */

static void ohv_lapic_deliver(struct ohv_vp *target, u32 mode, u8 vector)
{
	switch (mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		ohv_lapic_set_irr(target, vector);
		break;
	case APIC_DM_INIT:
		/*
		 * A startup IPI only counts after an INIT: drop any earlier
		 * one now, while the order is still known.
		 */
		clear_bit(OHV_IPI_SIPI, &target->ipi_requests);
		set_bit(OHV_IPI_INIT, &target->ipi_requests);
		ohv_vp_kick(target);
		break;
	case APIC_DM_STARTUP:
		WRITE_ONCE(target->sipi_vector, vector);
		set_bit(OHV_IPI_SIPI, &target->ipi_requests);
		ohv_vp_kick(target);
		break;
	default:
		pr_info_ratelimited("vp%u: IPI delivery mode 0x%x unsupported\n",
				    target->index, mode);
	}
}

static bool ohv_lapic_ipi_targets(struct ohv_vp *self, struct ohv_vp *t,
				  u64 icr)
{
	switch (icr & OHV_ICR_SHORTHAND) {
	case APIC_DEST_SELF:
		return t == self;
	case APIC_DEST_ALLINC:
		return true;
	case APIC_DEST_ALLBUT:
		return t != self;
	default:
		return ohv_lapic_ipi_matches(t->lapic.id, icr >> 32,
					     icr & OHV_ICR_DEST_LOGICAL);
	}
}

static int ohv_lapic_send_ipi(struct ohv_vp *self, u64 icr)
{
	struct ohv_partition *p = self->part;
	u32 mode = icr & APIC_DM_FIXED_MASK;
	u8 vector = icr & APIC_VECTOR_MASK;
	int i;

	/* INIT level de-assert is a no-op on modern APICs. */
	if (mode == APIC_DM_INIT && (icr & OHV_ICR_LEVEL_TRIGGER) &&
	    !(icr & OHV_ICR_LEVEL_ASSERT))
		return 0;
	if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) && vector < 16) {
		self->lapic.esr |= OHV_ESR_ILLEGAL_VECTOR;
		return 0;
	}

	spin_lock(&p->vps_lock);
	for (i = 0; i < OHV_HYP_MAX_VPS; i++) {
		struct ohv_vp *t = p->vps[i];

		if (t && ohv_lapic_ipi_targets(self, t, icr))
			ohv_lapic_deliver(t, mode, vector);
	}
	spin_unlock(&p->vps_lock);
	return 0;
}

/* ---- register access ----------------------------------------------------- */

static u32 ohv_lapic_ldr(u32 id)
{
	return ((id >> 4) << 16) | BIT(id & 0xf);
}

/* Reads of the 8 x 32-bit ISR/TMR/IRR register banks. */
static u32 ohv_lapic_bank(const unsigned long *bitmap, u32 reg, u32 base)
{
	u32 word = (reg - base) >> 4;
	u32 val = 0;
	int i;

	for (i = 0; i < 32; i++) {
		if (test_bit(word * 32 + i, bitmap))
			val |= BIT(i);
	}
	return val;
}

static int ohv_lapic_lvt_index(u32 reg)
{
	switch (reg) {
	case APIC_LVTT:
		return OHV_LVT_TIMER;
	case APIC_LVTTHMR:
		return OHV_LVT_THERMAL;
	case APIC_LVTPC:
		return OHV_LVT_PERF;
	case APIC_LVT0:
		return OHV_LVT_LINT0;
	case APIC_LVT1:
		return OHV_LVT_LINT1;
	case APIC_LVTERR:
		return OHV_LVT_ERROR;
	default:
		return -1;
	}
}

static int ohv_lapic_read_reg(struct ohv_lapic *apic, u32 reg, u64 *val)
{
	static const unsigned long no_bits[BITS_TO_LONGS(256)];
	int lvt = ohv_lapic_lvt_index(reg);

	if (lvt >= 0) {
		*val = apic->lvt[lvt];
		return 0;
	}
	if (reg >= APIC_ISR && reg < APIC_ISR + 0x80) {
		*val = ohv_lapic_bank(apic->isr, reg, APIC_ISR);
		return 0;
	}
	if (reg >= APIC_TMR && reg < APIC_TMR + 0x80) {
		/* Only edge-triggered interrupts exist here. */
		*val = ohv_lapic_bank(no_bits, reg, APIC_TMR);
		return 0;
	}
	if (reg >= APIC_IRR && reg < APIC_IRR + 0x80) {
		*val = ohv_lapic_bank(apic->irr, reg, APIC_IRR);
		return 0;
	}

	switch (reg) {
	case APIC_ID:
		*val = apic->id;
		break;
	case APIC_LVR:
		*val = OHV_APIC_VERSION | ((OHV_LVT_NR - 1) << 16);
		break;
	case APIC_TASKPRI:
		*val = apic->tpr;
		break;
	case APIC_PROCPRI:
		*val = ohv_lapic_cur_ppr(apic);
		break;
	case APIC_LDR:
		*val = ohv_lapic_ldr(apic->id);
		break;
	case APIC_SPIV:
		*val = apic->svr;
		break;
	case APIC_ESR:
		*val = apic->esr;
		break;
	case APIC_ICR:
		*val = apic->icr;
		break;
	case APIC_TMICT:
		*val = apic->tmict;
		break;
	case APIC_TMCCT:
		*val = ohv_lapic_tmcct(apic);
		break;
	case APIC_TDCR:
		*val = apic->tdcr;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int ohv_lapic_read(struct ohv_vp *vp, u32 msr, u64 *val)
{
	return ohv_lapic_read_reg(&vp->lapic, (msr - APIC_BASE_MSR) << 4, val);
}

static int ohv_lapic_write_reg(struct ohv_vp *vp, u32 reg, u64 val)
{
	struct ohv_lapic *apic = &vp->lapic;
	int lvt = ohv_lapic_lvt_index(reg);

	if (reg == APIC_ICR) {
		apic->icr = val;
		return ohv_lapic_send_ipi(vp, val);
	}
	/* All other x2APIC registers are 32 bits wide. */
	if (val >> 32)
		return -EINVAL;
	if (lvt == OHV_LVT_TIMER) {
		ohv_lapic_write_lvtt(apic, val);
		return 0;
	}
	if (lvt >= 0) {
		apic->lvt[lvt] = val & OHV_LVT_VALID;
		return 0;
	}

	switch (reg) {
	case APIC_TASKPRI:
		apic->tpr = val & 0xff;
		break;
	case APIC_EOI:
		if (val)
			return -EINVAL;
		ohv_lapic_eoi(apic);
		break;
	case APIC_SPIV:
		apic->svr = val & OHV_SVR_VALID;
		break;
	case APIC_ESR:
		if (val)
			return -EINVAL;
		apic->esr = 0;
		break;
	case APIC_TMICT:
		apic->tmict = val;
		if (ohv_lapic_timer_mode(apic->lvt[OHV_LVT_TIMER]) < OHV_TIMER_TSC_DEADLINE)
			ohv_lapic_timer_start_count(apic);
		break;
	case APIC_TDCR:
		apic->tdcr = val & OHV_TDCR_VALID;
		break;
	case APIC_SELF_IPI:
		if ((val & APIC_VECTOR_MASK) < 16 || val > APIC_VECTOR_MASK)
			return -EINVAL;
		ohv_lapic_set_irr(vp, val);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int ohv_lapic_write(struct ohv_vp *vp, u32 msr, u64 val)
{
	return ohv_lapic_write_reg(vp, (msr - APIC_BASE_MSR) << 4, val);
}

void ohv_lapic_init(struct ohv_lapic *apic, u32 id)
{
	int i;

	apic->id = id;
	apic->apic_base = OHV_LAPIC_APIC_BASE | X2APIC_ENABLE |
			  MSR_IA32_APICBASE_ENABLE;
	if (!id)
		apic->apic_base |= MSR_IA32_APICBASE_BSP;
	for (i = 0; i < OHV_LVT_NR; i++)
		apic->lvt[i] = APIC_LVT_MASKED;
	apic->svr = 0xff;
	hrtimer_init(&apic->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	apic->timer.function = ohv_lapic_timer_cb;
}

void ohv_lapic_destroy(struct ohv_lapic *apic)
{
	hrtimer_cancel(&apic->timer);
}
