"""Page "Nhiệm vụ": the filterable task list (SPEC §7.5)."""

import streamlit as st

st.title("Nhiệm vụ")
st.caption("Danh sách nhiệm vụ theo bộ lọc: quá hạn, đến hạn hôm nay, sắp đến hạn, gia hạn và chuyển chủ trì.")
