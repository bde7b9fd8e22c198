static enum ind_thunk {
    THUNK_DEFAULT, /* Decide which thunk to use at boot time. */
    THUNK_NONE,    /* Missing compiler support for thunks. */

    THUNK_RETPOLINE,
    THUNK_LFENCE,
    THUNK_JMP,
} opt_thunk __initdata = THUNK_DEFAULT;
static int8_t __initdata opt_ibrs = -1;
static bool_t __initdata opt_rsb_native = 1;
static bool_t __initdata opt_rsb_vmexit = 1;
bool_t __read_mostly opt_ibpb = 1;
uint8_t __read_mostly default_bti_ist_info;

static int __init parse_bti(const char *s)
{
    const char *ss;
    int val, rc = 0;


    if ( opt_rsb_native )
    {
        __set_bit(X86_FEATURE_RSB_NATIVE, boot_cpu_data.x86_capability);
        default_bti_ist_info |= BTI_IST_RSB;
    }

    /*
     * HVM guests can always poison the RSB to point at Xen supervisor
     * mappings.
     */
    if ( opt_rsb_vmexit )
        __set_bit(X86_FEATURE_RSB_VMEXIT, boot_cpu_data.x86_capability);

    /* Check we have hardware IBPB support before using it... */
    if ( !boot_cpu_has(X86_FEATURE_IBRSB) && !boot_cpu_has(X86_FEATURE_IBPB) )
        opt_ibpb = 0;

    /* (Re)init BSP state now that default_bti_ist_info has been calculated. */
    init_shadow_spec_ctrl_state();

    print_details(thunk);
}

