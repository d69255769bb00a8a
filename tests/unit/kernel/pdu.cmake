# Pure PDU helpers of the kernel module (kernel/pdu.c), tested in userspace.
iet_kernel_unit(kernel_pdu_test SOURCES kernel/pdu.c TESTS pdu_test.cc)
