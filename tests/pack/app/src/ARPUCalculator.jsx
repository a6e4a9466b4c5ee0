// The React example of the API documentation, verbatim (only the export is added).
import { useState } from 'react';

function ARPUCalculator() {
  const [revenue, setRevenue] = useState('');
  const [users, setUsers] = useState('');
  const [result, setResult] = useState(null);
  
  const calculate = async () => {
    const response = await fetch('http://localhost:8000/metrics/arpu', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        total_revenue: parseFloat(revenue),
        total_users: parseInt(users),
        time_frame: 'monthly'
      })
    });
    
    const data = await response.json();
    setResult(data);
  };
  
  return (
    <div>
      <input 
        type="number" 
        value={revenue}
        onChange={(e) => setRevenue(e.target.value)}
        placeholder="Total Revenue"
      />
      <input 
        type="number" 
        value={users}
        onChange={(e) => setUsers(e.target.value)}
        placeholder="Total Users"
      />
      <button onClick={calculate}>Calculate ARPU</button>
      
      {result && (
        <div>
          <h3>{result.metric_name}: ${result.value}</h3>
          <p>{result.interpretation}</p>
          <p><small>{result.benchmark}</small></p>
        </div>
      )}
    </div>
  );
}

export default ARPUCalculator;
