"""Page "Tải dữ liệu lên": upload a monthly task log (SPEC §7.6)."""

import streamlit as st

st.title("Tải dữ liệu lên")
st.caption("Tải nhật ký nhiệm vụ hằng tháng của phòng: kiểm tra, xem thay đổi, xác nhận lưu.")
